import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { updateReadmeDiagram, withDiagram } from '../review/readme-diagram';

// The README is what a newcomer follows: every command it shows must exist; the diagram it embeds is the synth's.
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

test('synth puts the first environment’s diagram into the README, changing nothing else', () => {
  const diagram = '# d\n\n```mermaid\nflowchart LR\n  a --> b\n```\n';
  const updated = withDiagram(readme, diagram);
  expect(updated).toContain('```mermaid\nflowchart LR\n  a --> b\n```\n');
  const outside = (text: string) => text.replace(/```mermaid\n[\s\S]*?\n```\n/, '');
  expect(outside(updated)).toBe(outside(readme));
  expect(() => withDiagram('no diagram here', diagram)).toThrow('README.md has no ```mermaid block to replace');
});

test('updateReadmeDiagram writes the environment’s diagram into a project’s README once, and leaves a README without one alone', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  fs.mkdirSync(path.join(root, 'dist', 'diagrams'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'dist', 'diagrams', 'staging.md'),
    '# staging\n```mermaid\nflowchart LR\n  new\n```\n',
  );
  fs.writeFileSync(path.join(root, 'README.md'), 'intro\n```mermaid\nflowchart LR\n  old\n```\nrest\n');
  expect(updateReadmeDiagram(root, 'staging')).toBe(true);
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(
    'intro\n```mermaid\nflowchart LR\n  new\n```\nrest\n',
  );
  expect(updateReadmeDiagram(root, 'staging')).toBe(false);
  fs.writeFileSync(path.join(root, 'README.md'), 'no diagram\n');
  expect(updateReadmeDiagram(root, 'staging')).toBe(false);
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe('no diagram\n');
});

test('the README links the benchmarks', () => {
  expect(readme).toContain('(BENCHMARKS.md)');
  expect(fs.existsSync(path.join(PROJECT_ROOT, 'BENCHMARKS.md'))).toBe(true);
});
