import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { synthesize } from '../pipeline/synthesize';
import { diffTrees } from '../review/dist-diff';
import { formatText } from '../review/diff-report';
import { diffSummary } from '../review/walkthrough-summary';
import { precheck } from '../review/precheck';
import { UPGRADE_WALKTHROUGH } from './helpers/upgrade-walkthrough';

// The README's upgrade walkthrough (1.29 to 1.30 by canary, three pull requests) against what `npm run diff` computes
// for the same steps on environments the test owns.
const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'walkthrough-'));
const dists = UPGRADE_WALKTHROUGH.map((step, i) => {
  const dir = path.join(root, String(i));
  fs.mkdirSync(dir);
  synthesize(loadEnvironments([step.environment]), dir);
  return dir;
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const shown = (step: number) => {
  const match = new RegExp(`<!-- walkthrough:${step} -->\\n\`\`\`text\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no walkthrough block ${step}`);
  return match[1];
};

test.each([1, 2, 3])("pull request %i: the README shows npm run diff's summary of it", (step) => {
  expect(shown(step)).toBe(diffSummary(formatText(diffTrees(dists[step - 1], dists[step]))));
});

test('what each pull request changes, as the walkthrough says', () => {
  expect(shown(1)).not.toContain('Kubernetes objects');
  expect(shown(1)).toContain('+ resource helm_release.istio_Istiod-1-30-5');
  expect(shown(2)).toMatch(/~ Deployment bookinfo\/productpage-v1/);
  expect(shown(2)).not.toContain('Namespace');
  expect(shown(3)).not.toContain('Kubernetes objects');
  expect(shown(3)).toContain('- resource helm_release.istio_Istiod-1-29-6');
});

test('precheck is clean at every step of the walkthrough', () => {
  UPGRADE_WALKTHROUGH.forEach((step, i) => {
    const report = precheck(loadEnvironments([step.environment]), dists[i]);
    expect([step.title, report.findings, report.unknown]).toEqual([step.title, [], []]);
  });
});
