import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManifestReadError, MAX_ALIAS_COUNT, parseManifests, readManifests } from '../../kube/manifest-reader';

// The reader takes what kubectl takes, and refuses the rest with one line naming the file and line.

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const names = (text: string) => parseManifests(text, 'in.yaml').map((m) => m.manifest.metadata.name);
const refusal = (text: string) => {
  try {
    parseManifests(text, 'in.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestReadError);
    return (error as Error).message;
  }
  throw new Error('read without error');
};

test('empty and comment-only documents are skipped, wherever they are (a trailing --- too)', () => {
  expect(names(`---\n# header\n---\n${cm('a')}---\n\n---\n# only a comment\n---\n${cm('b')}---\n`)).toEqual(['a', 'b']);
  expect(names('')).toEqual([]);
  expect(names('# nothing but comments\n')).toEqual([]);
});

test('--- with a comment, document end markers, a BOM and CRLF line ends', () => {
  expect(names(`\uFEFF--- # first\r\n${cm('a').replace(/\n/g, '\r\n')}...\r\n--- \r\n${cm('b')}`)).toEqual(['a', 'b']);
});

test('merge keys and ordinary aliases are read as kubectl reads them', () => {
  const text =
    `${cm('m')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations: &labels\n    app: web\n    tier: front\n` +
    `  labels:\n    <<: *labels\n    extra: "1"\nspec:\n  selector: *labels\n`;
  const [, service] = parseManifests(text, 'in.yaml');
  expect(service.manifest.metadata.labels).toEqual({ app: 'web', tier: 'front', extra: '1' });
  expect(service.manifest.spec).toEqual({ selector: { app: 'web', tier: 'front' } });
});

test('150 aliases in one ConfigMap are fine; an alias bomb is refused with the file and line', () => {
  const many = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\nx: &v value\ndata:\n${Array.from({ length: 150 }, (_, i) => `  k${i}: *v`).join('\n')}\n`;
  expect(Object.keys(parseManifests(many, 'in.yaml')[0].manifest.data as object)).toHaveLength(150);
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++)
    levels.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  const bomb = `${cm('bomb')}data:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
  expect(refusal(bomb)).toMatch(
    new RegExp(`^in\\.yaml:1: document 1: aliases expand to more than ${MAX_ALIAS_COUNT} nodes`),
  );
});

test('YAML 1.1 scalars as kubectl reads them: yes/on are booleans', () => {
  const [m] = parseManifests(`${cm('b')}data:\n  enabled: yes\n  quoted: "yes"\n`, 'in.yaml');
  expect(m.manifest.data).toEqual({ enabled: true, quoted: 'yes' });
});

test('JSON, and a List read as its items with their own lines', () => {
  const json = JSON.stringify(
    { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } }] },
    null,
    2,
  );
  const read = parseManifests(json, 'in.json');
  expect(read.map((m) => m.manifest.metadata.name)).toEqual(['j']);
  expect(read[0].line).toBe(5);
  expect(parseManifests(json, 'in.json', { expandLists: false }).map((m) => m.manifest.kind)).toEqual(['List']);
});

test('every refusal is one line naming the file and the line', () => {
  expect(refusal(`${cm('a')}---\nkind: ConfigMap\nmetadata: name: x\n`)).toMatch(
    /^in\.yaml:7: document 2 is not valid YAML: /,
  );
  expect(refusal('just some words\n')).toBe(
    'in.yaml:1: document 1 is not an object (a YAML mapping or JSON object) but a string',
  );
  expect(refusal('- a\n- b\n')).toMatch(/^in\.yaml:1: document 1 is not an object .* but a list$/);
  expect(refusal('{"resource": {"google_container_cluster": {}}}')).toBe(
    'in.yaml:1: document 1 is not a Kubernetes object: apiVersion and kind not set',
  );
  expect(refusal('\u0000\u0001binary')).toBe('in.yaml: not YAML or JSON (a binary file)');
  for (const message of [refusal(`${cm('a')}---\nkind: [\n`)]) expect(message.split('\n')).toHaveLength(1);
});

test('100,000-deep nesting is refused, not a crash', () => {
  const deep = `${cm('deep')}data:\n  x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
  expect(refusal(deep)).toMatch(/^in\.yaml:\d+: document 1 (is not valid YAML|nests deeper than|: nesting too deep)/);
});

test('folders: manifests in name order, subfolders with recursive, and a folder without manifests is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-'));
  fs.writeFileSync(path.join(dir, 'b.yaml'), cm('b'));
  fs.writeFileSync(
    path.join(dir, 'a.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }),
  );
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'c.yml'), cm('c'));
  expect(readManifests([dir]).map((m) => m.manifest.metadata.name)).toEqual(['a', 'b']);
  expect(readManifests([dir], { recursive: true }).map((m) => m.manifest.metadata.name)).toEqual(['a', 'b', 'c']);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-empty-'));
  expect(() => readManifests([empty])).toThrow(new RegExp(`^${empty}: no manifests`));
  expect(() => readManifests([path.join(dir, 'missing.yaml')])).toThrow(/missing\.yaml: cannot read: ENOENT/);
});

test("kube-inject's reading: a List kept whole, objects without a kind accepted, each document as written", () => {
  const text = `# leading comment\n${cm('a')}x: &anchor 1\ny: *anchor\n---\nkind: List\napiVersion: v1\nitems: []\n---\nfoo: bar\n`;
  const read = parseManifests(text, 'in.yaml', { expandLists: false, requireKind: false });
  expect(read.map((m) => [m.document, m.manifest.kind])).toEqual([
    [1, 'ConfigMap'],
    [2, 'List'],
    [3, undefined],
  ]);
  expect(read[0].written).toContain('x: &anchor 1\ny: *anchor');
  expect(read[2].written).toBe('foo: bar\n');
});
