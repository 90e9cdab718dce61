import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Document as YamlDocument, isMap, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import {
  ManifestReadError,
  parseManifests,
  streamFile,
  streamManifests,
  type SourcedManifest,
} from '../../kube/manifest-reader';
import { yamlDocument } from '../../kube/yaml-writer';
import { seededRandom } from '../helpers/seeded-random';

// The reader splits a stream into documents and parses them one at a time (most through a fast path that must
// prove itself). It must read exactly what the `yaml` package reads from the whole stream at once: the same objects,
// lines, document numbers and documents as written.

/** What a whole-stream parse by the `yaml` package gives (the reader's reference). */
function reference(text: string) {
  const lineCounter = new LineCounter();
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const documents = parseAllDocuments(source, {
    lineCounter,
    prettyErrors: false,
    version: '1.1',
    merge: true,
    uniqueKeys: false,
  }) as Document.Parsed[];
  const line = (node: Node | null | undefined, document: Document.Parsed) =>
    lineCounter.linePos(node?.range?.[0] ?? document.range[0]).line;
  return (Array.isArray(documents) ? documents : []).flatMap((document, index) => {
    const value = document.toJS();
    if (value === null || value === undefined || !isMap(document.contents)) return [];
    const firstKeys = Object.keys(value).slice(0, 3);
    return [
      {
        manifest: value,
        document: index + 1,
        line: line(document.contents, document),
        written: String(document).replace(/^---\r?\n/, ''),
        lines: firstKeys.map((key) => line(document.getIn([key], true) as Node, document)),
      },
    ];
  });
}

const view = (read: SourcedManifest[]) =>
  read.map((m) => ({
    manifest: m.manifest,
    document: m.document,
    line: m.line,
    written: m.written,
    lines: Object.keys(m.manifest)
      .slice(0, 3)
      .map((key) => m.lineOf([key])),
  }));

const options = { expandLists: false, requireKind: false } as const;

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(entry.name) ? [file] : [];
  });
}

const FIXTURES = [path.join(__dirname, '..', 'inject', 'fixtures'), path.join(__dirname, '..', 'analyze', 'fixtures')]
  .flatMap(yamlFiles)
  .filter((file) => {
    try {
      // fixtures of bad input are read by their own tests
      return reference(fs.readFileSync(file, 'utf8')).length > 0;
    } catch {
      return false;
    }
  });

test('the fixtures are many', () => {
  expect(FIXTURES.length).toBeGreaterThan(20);
});

test.each(FIXTURES.map((file) => [path.relative(path.join(__dirname, '..'), file), file]))(
  '%s: the same objects, lines and documents as a whole-stream parse, whole or in small pieces',
  (_, file) => {
    const text = fs.readFileSync(file, 'utf8');
    let expected: unknown;
    try {
      expected = reference(text);
    } catch {
      return;
    }
    const whole = parseManifests(text, file, options);
    expect(view(whole)).toEqual(expected);
    const pieces = text.match(/[\s\S]{1,7}/g) ?? [];
    expect(view([...streamManifests(pieces, file, options)])).toEqual(expected);
    expect(view([...streamFile(file, options)])).toEqual(expected);
  },
);

const cm = (name: string, more = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${more}`;
const same = (text: string) => expect(view(parseManifests(text, 'in.yaml', options))).toEqual(reference(text));

describe('multi-document edge cases read as the yaml package reads the whole stream', () => {
  test.each([
    ['--- inside a block scalar', `${cm('a', 'data:\n  script: |\n    ---\n    ...\n    echo\n')}---\n${cm('b')}`],
    ['--- and ... with comments', `--- # first\n${cm('a')}... # end\n--- # second\n${cm('b')}`],
    ['comments before, between and after', `# header\n\n${cm('a')}# after a\n---\n# before b\n${cm('b')}# tail\n`],
    ['empty documents and a trailing ---', `---\n---\n${cm('a')}---\n\n---\n# only a comment\n---\n${cm('b')}---\n`],
    ['a document end without a next start', `${cm('a')}...\n${cm('b')}`],
    ['directives after a document end', `${cm('a')}...\n%YAML 1.1\n---\n${cm('b')}`],
    ['CRLF and a BOM', `\uFEFF${cm('a').replace(/\n/g, '\r\n')}---\r\n${cm('b').replace(/\n/g, '\r\n')}`],
    ['no newline at the end', `${cm('a')}---\n${cm('b', 'data:\n  k: v')}`],
    [
      '--- followed by content on its line',
      `--- ${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap' })}\n---\n${cm('b')}`,
    ],
    ['a long line (not folded)', cm('a', `data:\n  k: ${'word '.repeat(40).trim()}\n`)],
    [
      'scalars YAML 1.1 reads otherwise than JSON',
      cm('a', 'data:\n  a: yes\n  b: 0755\n  c: 1_000\n  d: 2001-12-14\n  e: "on"\n  f: 1:20\n  g: ~\n'),
    ],
    ['merge keys without aliases', cm('a', 'data:\n  <<:\n    k: v\n  j: w\n')],
    ['duplicate keys (the last wins)', cm('a', 'data:\n  k: one\n  k: two\n')],
    [
      'quoting styles',
      cm('a', `data:\n  a: 'single'\n  b: "double"\n  c: "1"\n  d: |\n    block\n  e: >\n    folded\n`),
    ],
  ])('%s', (_, text) => same(text));
});

// Most documents are written back as they were read (the reader's fast path); the `yaml` package folds lines longer
// than 80 characters where it can, so that documents with such lines must come out as it writes them back.
describe('long lines: each document written as the yaml package writes it back', () => {
  const long = 'x'.repeat(90);
  const words = 'word '.repeat(25).trim();
  test.each([
    ['long comments before the fields', `# ${words}\n#${long}\n${cm('a')}---\n# ${words}\n${cm('b')}`],
    [
      'a long value without spaces (an image digest)',
      cm('a', `spec:\n  image: registry.example.com/${long}@sha256:abc\n`),
    ],
    [
      'long values without spaces in lists, deep down',
      cm('a', `spec:\n  list:\n    - - ${long}\n      - k: ${long}\n`),
    ],
    ['a long value with spaces (folded)', cm('a', `data:\n  k: ${words}\n`)],
    ['a long key, then a value without spaces', cm('a', `data:\n  ${'k'.repeat(62)}: ${'v'.repeat(30)}\n`)],
    ['a long key and value, spaces at the end', cm('a', `data:\n  ${'k'.repeat(50)}: ${'v'.repeat(30)} a b\n`)],
    ['double quotes without spaces', cm('a', `data:\n  k: "@${long}"\n  l: "${'\\t'.repeat(40)}"\n`)],
    ['single quotes', cm('a', `data:\n  k: '"${long}'\n  l: '"${words}'\n`)],
    ['a long double-quoted scalar over lines', cm('a', `data:\n  k: "${words}\n\n    ${long}\n\n    ${words}"\n`)],
    ['a block scalar of long lines (never folded)', cm('a', `data:\n  k: |\n    ${words}\n    ${long}\n`)],
    ['a key of more than 1024 characters', cm('a', `data:\n  ? ${'k'.repeat(1030)}\n  : ${long}\n`)],
    ['--- in a long string', cm('a', `data:\n  k: |-\n    --- ${words}\n  l: "--- ${words}"\n`)],
    ['a long line in CRLF text', cm('a', `data:\n  k: ${words}\n  l: ${long}\n`).replace(/\n/g, '\r\n')],
    ['only a long comment, then an empty document', `# ${words}\n---\n---\n${cm('a', `data:\n  k: ${long}\n`)}`],
  ])('%s', (_, text) => same(text));

  // Random objects as the fast path takes them (our writer's canonical text), with long keys and values: plain,
  // quoted, over lines, with and without spaces, at every depth.
  test('random canonical documents with long lines', () => {
    const canonical = { version: '1.1', aliasDuplicateObjects: false, keepUndefined: false } as const;
    const next = seededRandom(19);
    const random = (n: number) => Math.floor(next() * n);
    const pieces = ['x', 'word', ' ', '  ', ': ', ' #', '"', "'", '\n', '\t', '-', '@', '---', 'é', long, words];
    const string = (): string => Array.from({ length: random(12) }, () => pieces[random(pieces.length)]).join('');
    const key = () => `k${'k'.repeat(random(4) === 0 ? 40 + random(50) : random(8))}${random(99)}`;
    const object = (depth: number) =>
      Object.fromEntries(Array.from({ length: 1 + random(4) }, () => [key(), value(depth + 1)]));
    const value = (depth: number): unknown => {
      const pick = random(depth > 3 ? 4 : 7);
      if (pick < 3) return string();
      if (pick === 3) return random(3) === 0 ? random(1000) : random(2) === 0;
      if (pick === 4) return Array.from({ length: 1 + random(3) }, () => value(depth + 1));
      return object(depth);
    };
    // documents with long lines that the fast path writes as read, and those the `yaml` package must write
    const counts = { asRead: 0, rewritten: 0 };
    const rewrites = vi.spyOn(YamlDocument.prototype, 'toString');
    for (let i = 0; i < 600; i++) {
      const text = `# ${words}\n${yamlDocument({ kind: 'Thing', ...object(0) }, canonical)}`;
      const before = rewrites.mock.calls.length;
      const [read] = parseManifests(text, 'in.yaml', options);
      const written = read.written;
      if (/^[^#\n][^\n]{80}/m.test(text)) counts[rewrites.mock.calls.length === before ? 'asRead' : 'rewritten']++;
      expect(written).toBe(reference(text)[0].written);
    }
    rewrites.mockRestore();
    expect(counts.asRead).toBeGreaterThan(50);
    expect(counts.rewritten).toBeGreaterThan(50);
  });
});

describe('errors name the document and its line in the stream', () => {
  const failure = (text: string | string[]) => {
    try {
      Array.from(streamManifests(typeof text === 'string' ? [text] : text, 'in.yaml'));
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestReadError);
      return (error as Error).message;
    }
    throw new Error('read without error');
  };

  test('a syntax error in the third document, whole or in pieces', () => {
    const text = `${cm('a')}---\n${cm('b')}---\n${cm('c')}  labels: [\n`;
    const [error] = (parseAllDocuments(text, { prettyErrors: false }) as Document.Parsed[])[2].errors;
    const line = text.slice(0, error.pos[0]).split('\n').length;
    expect(line).toBeGreaterThan(10);
    expect(failure(text)).toMatch(new RegExp(`^in\\.yaml:${line}: document 3 is not valid YAML: `));
    expect(failure(text.match(/[\s\S]{1,5}/g)!)).toBe(failure(text));
  });

  test('a document that is not an object, after empty ones', () => {
    expect(failure(`${cm('a')}---\n# nothing\n---\n\n---\n- x\n`)).toBe(
      'in.yaml:10: document 4 is not an object (a YAML mapping or JSON object) but a list',
    );
  });

  test('an object without a kind, on its first field after leading comments', () => {
    expect(failure(`${cm('a')}---\n# a comment\nmetadata:\n  name: b\n`)).toBe(
      'in.yaml:7: document 2 is not a Kubernetes object: apiVersion and kind not set',
    );
  });

  test('syntax first: a syntax error later in the stream wins over an earlier refusal, with its document number', () => {
    const text = `kind: ConfigMap\n---\n${cm('b')}---\n- a list\n---\n---\n${cm('c')}data: a: b\n`;
    expect(failure(text)).toMatch(/^in\.yaml:15: document 5 is not valid YAML: /);
    expect(failure(`kind: ConfigMap\n---\n${cm('b')}`)).toBe(
      'in.yaml:1: document 1 is not a Kubernetes object: apiVersion not set',
    );
  });

  test('a binary file', () => {
    expect(failure([cm('a'), '\u0000'])).toBe('in.yaml: not YAML or JSON (a binary file)');
  });
});

test('streamFile reads a large file a document at a time, with progress', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-'));
  const file = path.join(dir, 'big.yaml');
  const documents = Array.from({ length: 5000 }, (_, i) => cm(`cm-${i}`, `data:\n  i: "${i}"\n`));
  fs.writeFileSync(file, documents.join('---\n'));
  const progress: number[] = [];
  const read = streamFile(file, { onProgress: (_, done) => progress.push(done) });
  const first = read.next();
  expect(first.value?.manifest.metadata.name).toBe('cm-0');
  expect(progress).toHaveLength(1); // only the first piece was read to give the first object
  const rest = [...read];
  expect(rest).toHaveLength(4999);
  expect(rest[4998].line).toBe(4999 * 7 + 1);
  expect(progress.at(-1)).toBe(fs.statSync(file).size);
});
