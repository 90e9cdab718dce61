import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';

// The README is what a newcomer follows: every command it shows must exist, and the diagram it embeds must be the
// one the synth draws.
const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts);

test('every `npm run` script the README shows exists', () => {
  const named = [...readme.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]);
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
});

test('every file the README points into dist/ exists', () => {
  const files = [...readme.matchAll(/`(dist\/[\w./-]+\.(?:yaml|json|md))`/g)].map((m) => m[1]);
  expect(files.length).toBeGreaterThanOrEqual(3);
  expect(files.filter((file) => !fs.existsSync(path.join(PROJECT_ROOT, file)))).toEqual([]);
});

test('the embedded diagram is the default environment’s, as the synth drew it', () => {
  const drawn = fs.readFileSync(path.join(PROJECT_ROOT, 'dist', 'diagrams', 'default.md'), 'utf8');
  const mermaid = (text: string) => text.match(/```mermaid\n[\s\S]*?\n```\n/)?.[0];
  expect(mermaid(drawn)).toBeDefined();
  expect(mermaid(readme)).toBe(mermaid(drawn));
});

test('the README links the benchmarks', () => {
  expect(readme).toContain('(BENCHMARKS.md)');
  expect(fs.existsSync(path.join(PROJECT_ROOT, 'BENCHMARKS.md'))).toBe(true);
});
