import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeManifests, MESSAGES } from '../../analyze/analyzer';
import { formatFinding } from '../../analyze/finding';
import { FIXTURES, fixture, fixtureContext } from './fixtures';

// For every code: fixtures/<code>/trigger.yaml (added to base.yaml) must report it, and clean.yaml, the same
// objects with the fault fixed, must not. Neither may report other warnings or errors, so that each check is shown
// to discriminate, not merely to fire.

const base = fixture('base.yaml');
const analyze = (code: string, file: string) =>
  analyzeManifests([...base, ...fixture(path.join(code, file))], fixtureContext(code));
const serious = (findings: ReturnType<typeof analyze>) => findings.filter((f) => f.level !== 'info').map(formatFinding);

test('the base mesh analyzes clean', () => {
  expect(analyzeManifests(base, fixtureContext('base')).map(formatFinding)).toEqual([]);
});

test('every code has fixtures', () => {
  expect(
    fs
      .readdirSync(FIXTURES)
      .filter((f) => /^(IST|HI)\d{4}$/.test(f))
      .sort(),
  ).toEqual([...MESSAGES.keys()]);
});

/** How many findings of its code each trigger fixture plants. */
const PLANTED: Record<string, number> = {
  IST0101: 5,
  IST0102: 1,
  IST0103: 1,
  IST0106: 4,
  IST0109: 2,
  IST0112: 1,
  IST0118: 1,
  IST0127: 2,
  IST0130: 2,
  IST0131: 2,
  IST0132: 1,
  IST0133: 1,
  IST0144: 1,
  IST0145: 2,
  IST0162: 1,
  IST0173: 1,
  IST0174: 1,
  // one per object, and for per-pod messages one per pod: two Sidecars (Telemetries) over the two web Deployments are 4
  IST0002: 1,
  IST0110: 4,
  IST0111: 2,
  IST0116: 2,
  IST0123: 1,
  IST0128: 1,
  IST0129: 1,
  IST0134: 1,
  IST0137: 2,
  IST0138: 2,
  IST0146: 1,
  IST0147: 1,
  IST0148: 1,
  IST0150: 1,
  IST0151: 1,
  IST0152: 1,
  IST0153: 1,
  IST0154: 1,
  IST0155: 1,
  IST0157: 1,
  IST0158: 1,
  IST0159: 4,
  IST0160: 2,
  IST0161: 1,
  IST0107: 1,
  IST0108: 1,
  IST0135: 1,
  IST0136: 1,
  IST0139: 2,
  IST0140: 1,
  IST0149: 1,
  IST0163: 1,
  IST0164: 1,
  IST0165: 1,
  IST0166: 1,
  IST0167: 1,
  IST0171: 1,
  IST0175: 1,
  IST0176: 1,
  HI0001: 1,
  HI0002: 1,
  HI0003: 2,
  HI0004: 1,
  HI0005: 1,
  HI0006: 1,
  HI0007: 1,
  HI0008: 2,
  HI0009: 1,
  HI0010: 3,
  HI0011: 3,
  HI0012: 1,
  HI0013: 1,
};

/** Findings a trigger necessarily brings along with its own. */
const ALONGSIDE: Record<string, readonly string[]> = {
  IST0101: ['IST0132'],
  // a legacy `name.namespace` gateway name resolves to no Gateway (istioctl's reference checks do not read it either)
  IST0133: ['IST0101', 'IST0132'],
  // an internal Gateway's name is no DNS label, which Istio's validation refuses in a VirtualService's gateways
  IST0165: ['IST0106'],
};

/** Istio's validation warns about every EnvoyFilter (IST0133), so the EnvoyFilter codes' fixtures, clean too, carry it. */
const EVERY_ENVOY_FILTER =
  /^IST0133 EnvoyFilter [^:]+: Schema validation warning: EnvoyFilter exposes internal implementation details/;
const unavoidable = (lines: string[]) => lines.filter((line) => !EVERY_ENVOY_FILTER.test(line));

describe.each([...MESSAGES.values()].map((m) => [m.code, m]))('%s', (code, message) => {
  test(`trigger.yaml reports ${message.name} (${message.level})`, () => {
    const findings = analyze(code, 'trigger.yaml');
    const own = findings.filter((f) => f.code === code);
    expect(own.map(formatFinding)).toHaveLength(PLANTED[code]);
    expect(own.every((f) => f.level === message.level)).toBe(true);
    // IST0130's fixture also shadows a match (IST0131, an info); IST0103's namespace is not injected (IST0102, an info);
    // a VirtualService bound to a missing Gateway has no host that the Gateway serves either (IST0132, as from istioctl).
    const alongside = ALONGSIDE[code] ?? [];
    expect(
      unavoidable(serious(findings)).filter(
        (line) => !line.startsWith(code) && !alongside.some((other) => line.startsWith(other)),
      ),
    ).toEqual([]);
  });

  test('clean.yaml does not', () => {
    expect(unavoidable(serious(analyze(code, 'clean.yaml')))).toEqual([]);
    expect(analyze(code, 'clean.yaml').filter((f) => f.code === code)).toEqual([]);
  });
});
