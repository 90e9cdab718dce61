import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CHECKS, MESSAGES } from '../../analyze/analyzer';
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
