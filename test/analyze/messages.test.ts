import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { analyzeManifests, CHECKS, MESSAGES } from '../../analyze/analyzer';
import { CATALOGUE } from '../../analyze/messages';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { describeWithReference, readReference } from '../helpers/reference';

describeWithReference("istioctl's message catalogue (analysis-messages.yaml of Istio 1.30.3)", () => {
  test("istioctl's codes carry istioctl's name, level and meaning", () => {
    const upstream = (
      parse(readReference('istio-1.30.3/analysis-messages.yaml')) as {
        messages: { name: string; code: string; level: string; description: string }[];
      }
    ).messages;
    const ours = [...MESSAGES.values()].filter((m) => m.code.startsWith('IST'));
    expect(ours.length).toBeGreaterThanOrEqual(16);
    for (const message of ours) {
      const reference = upstream.find((u) => u.code === message.code);
      expect({ code: message.code, name: message.name, level: message.level, summary: message.summary }).toEqual({
        code: reference?.code,
        name: reference?.name,
        level: reference?.level.toLowerCase(),
        summary: reference?.description,
      });
    }
  });
});

test("our own codes do not collide with istioctl's and are numbered in one series", () => {
  const own = [...MESSAGES.keys()].filter((code) => !code.startsWith('IST'));
  expect(own).toEqual(own.map((_, i) => `HI${String(i + 1).padStart(4, '0')}`));
});

test('a code means one thing wherever it is reported', () => {
  const byCode = new Map<string, unknown>();
  for (const message of CHECKS.flatMap((c) => c.messages)) {
    if (byCode.has(message.code)) expect(message).toBe(byCode.get(message.code));
    byCode.set(message.code, message);
  }
});

test('the README lists every check with its code', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  for (const message of MESSAGES.values()) expect(readme).toContain(`| ${message.code} |`);
});

describe("each release's catalogue", () => {
  const dir = path.join(PROJECT_ROOT, 'test', 'analyze', 'fixtures', 'IST0176');
  const manifests = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter((m) => m);
  const codes = (istioMinor: string) => analyzeManifests(manifests, { istioMinor }).map((f) => f.code);

  test('IST0176 came with 1.30 and IST0177 with 1.31; every other message is in all three', () => {
    const releases = (code: string) => CATALOGUE.find((m) => m.code === code)?.releases;
    expect(releases('IST0176')).toEqual(['1.30', '1.31']);
    expect(releases('IST0177')).toEqual(['1.31']);
    expect(releases('IST0101')).toEqual(['1.29', '1.30', '1.31']);
  });

  test("an environment on 1.29 is not told what 1.29's istioctl does not report", () => {
    expect(codes('1.30')).toContain('IST0176');
    expect(codes('1.31')).toContain('IST0176');
    expect(codes('1.29')).not.toContain('IST0176');
  });
});
