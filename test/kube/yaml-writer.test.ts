import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Yaml } from 'cdk8s';
import { parseAllDocuments, stringify, type ToStringOptions, type CreateNodeOptions, type DocumentOptions } from 'yaml';
import { synthesizeArgoCd } from '../../cdk8s/argocd/argocd-app';
import { SidecarInjector } from '../../inject/sidecar-injector';
import { toYaml } from '../../inject/manifest-stream';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { MESH_MODES } from '../../config';
import { writeYamlStream, yamlDocument, yamlStream, type YamlWriterOptions } from '../../kube/yaml-writer';
import { testEnvironments, defaultEnvironment } from '../helpers/environments';
import { seededRandom } from '../helpers/seeded-random';

// The writer must write exactly what the `yaml` package writes with the same options (cdk8s's Yaml.stringify for
// synth, kube-inject's options for kube-inject): held to it on every synthesized document and on tricky values.

/** The `yaml` package with the options each use of the writer stands for. */
const REFERENCE: Record<
  'cdk8s' | 'kube-inject',
  { ours: YamlWriterOptions; theirs: DocumentOptions & CreateNodeOptions & ToStringOptions }
> = {
  cdk8s: { ours: {}, theirs: { keepUndefined: true, lineWidth: 0, version: '1.1' } },
  'kube-inject': {
    ours: { version: '1.2', aliasDuplicateObjects: false, keepUndefined: false },
    theirs: { lineWidth: 0, aliasDuplicateObjects: false },
  },
};

function environments() {
  return [
    ...testEnvironments(),
    ...MESH_MODES.map((mode, i) => defaultEnvironment((e) => ({ ...e, name: `mesh-${i}`, mesh: { mode } }))),
    // presets with header matches, weighted routes and fault injection
    ...(['reviews-jason-v2-v3', 'ratings-test-delay'] as const).map((preset, i) =>
      defaultEnvironment((e) => ({ ...e, name: `preset-${i}`, traffic: { ...e.traffic, preset } })),
    ),
  ];
}

test('every synthesized document, chart and Argo CD application: the same bytes as cdk8s writes', () => {
  let documents = 0;
  for (const env of environments()) {
    for (const chart of synthesizeKubernetes(env)) {
      expect({ env: env.name, chart: chart.file, yaml: yamlStream(chart.manifests) }).toEqual({
        env: env.name,
        chart: chart.file,
        yaml: Yaml.stringify(...chart.manifests),
      });
      documents += chart.manifests.length;
    }
    const application = synthesizeArgoCd(env);
    expect(yamlStream(application)).toBe(Yaml.stringify(...application));
  }
  expect(documents).toBeGreaterThan(200);
});

test("kube-inject's output: the same bytes as the yaml package with kube-inject's options", () => {
  const fixtures = path.join(__dirname, '..', 'inject', 'fixtures');
  const injector = new SidecarInjector({});
  let injected = 0;
  for (const file of fs.readdirSync(fixtures)) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(fixtures, file), 'utf8'))) {
      const value = doc.toJS();
      if (!SidecarInjector.handles(value)) continue;
      const { object } = injector.inject(value);
      expect(yamlDocument(object, REFERENCE['kube-inject'].ours)).toBe(
        stringify(object, REFERENCE['kube-inject'].theirs),
      );
      expect(toYaml(object)).toBe(
        stringify(parseAllDocuments(toYaml(object))[0].toJS(), REFERENCE['kube-inject'].theirs),
      );
      injected++;
    }
  }
  expect(injected).toBeGreaterThan(10);
});

/** Strings built to hit every rule: indicators, type look-alikes of both schemas, escapes, line breaks, markers. */
const PIECES = [
  'a',
  'Z',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\t',
  ':',
  ': ',
  '#',
  ' #',
  '-',
  '- ',
  '?',
  '? ',
  '"',
  "'",
  '\\',
  '0',
  '7',
  '.',
  '_',
  'e',
  'E',
  '+',
  'x',
  '0b1',
  '0x1F',
  '0o7',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  '~',
  'null',
  'NULL',
  'true',
  'False',
  '.inf',
  '-.Inf',
  '.nan',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '12:30',
  '1:20:30.5',
  '<<',
  '---',
  '...',
  '%',
  '@',
  '`',
  '|',
  '>',
  '!',
  '&',
  '*',
  '[',
  ']',
  '{',
  '}',
  ',',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ud800',
  'é',
  '😀',
  '\r',
  '\x7f',
  'x'.repeat(30),
  '%YAML',
];

/** `count` random values from `seed` (the same ones each run, so that a failure can be replayed). */
function randomValues(seed: number, count: number): unknown[] {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const text = () => Array.from({ length: Math.floor(next() * 10) }, () => pick(PIECES)).join('');
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.45) return text();
    if (r < 0.5) return pick([0, -0, 1, -1, 1.5, 1e21, 1e-7, NaN, Infinity, -Infinity, 123456789012, 0.1]);
    if (r < 0.55) return pick([true, false, null, undefined]);
    if (r < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), value(depth + 1)]));
  };
  return Array.from({ length: count }, () => {
    const root = value(0);
    if (next() < 0.1) {
      const shared = { shared: text() };
      return { first: shared, list: [shared, root, []], again: shared, empty: [], e2: {} };
    }
    return root;
  });
}

const shared = { name: 'x' };
const TRICKY: unknown[] = [
  'plain',
  '',
  ' leading',
  'trailing ',
  'a: b',
  'a #b',
  '- item',
  '-',
  '?',
  'yes',
  'NO',
  'on',
  'y',
  'n',
  '~',
  'null',
  '0755',
  '0x1F',
  '1_000',
  '1e3',
  'e2',
  '.5',
  '12:30:45',
  '2026-12-01',
  '<<',
  '---',
  '--- x',
  '...',
  '%TAG',
  "it's",
  'say "hi"',
  `both ' and "`,
  'line\nbreak',
  'trailing break\n',
  'two breaks\n\n',
  '\nleading break',
  '  indented\nblock',
  'tab\tinside',
  'spaces before break \nx',
  'x'.repeat(50) + '\nnext line',
  'x'.repeat(50) + ' \n next',
  '\u0000\u001b\u2028',
  '😀 emoji',
  'k'.repeat(1100),
  0,
  -0,
  3.25,
  1e21,
  NaN,
  -Infinity,
  true,
  null,
  [],
  {},
  [[]],
  [{}],
  [[1, [2]]],
  { ['k'.repeat(1100)]: { a: 1 }, ['b\nc']: 'd' },
  { a: shared, b: [shared, { c: shared }] },
  { a: undefined, b: [undefined] },
  { 'multi\nline key': 'v', "it's": '"q"', '': '' },
  { nested: { deeper: { deepest: ['a', { b: 'line\nbreak' }] } } },
];

test.each(Object.keys(REFERENCE) as (keyof typeof REFERENCE)[])(
  'tricky and random values: the same bytes as yaml (%s)',
  (use) => {
    const { ours, theirs } = REFERENCE[use];
    // (a top-level undefined is no document: cdk8s writes an empty one, see yamlStream)
    for (const value of [...TRICKY, ...randomValues(19, 3000)].filter((v) => v !== undefined)) {
      expect({ value, yaml: yamlDocument(value, ours) }).toEqual({ value, yaml: stringify(value, theirs) });
    }
  },
);

test('an object met twice becomes an anchor and an alias, as in yaml; without aliases it is written twice', () => {
  const value = { a: shared, b: [shared] };
  expect(yamlDocument(value)).toBe('a: &a1\n  name: x\nb:\n  - *a1\n');
  expect(yamlDocument(value, { aliasDuplicateObjects: false })).toBe('a:\n  name: x\nb:\n  - name: x\n');
});

test('writeYamlStream writes the same stream as yamlStream, in pieces, to a file or a descriptor', () => {
  const documents = [...randomValues(7, 4000), undefined, { last: true }];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-writer-'));
  const file = path.join(dir, 'stream.yaml');
  const expected = yamlStream(documents);
  expect(expected.length).toBeGreaterThan(1 << 17); // more than one write
  expect(writeYamlStream(file, documents)).toBe(expected.length);
  expect(fs.readFileSync(file, 'utf8')).toBe(Yaml.stringify(...documents));
  const fd = fs.openSync(file, 'w');
  writeYamlStream(fd, documents);
  fs.closeSync(fd);
  expect(fs.readFileSync(file, 'utf8')).toBe(expected);
  fs.rmSync(dir, { recursive: true });
});

test('values that are not JSON are refused with a TypeError', () => {
  for (const value of [new Map([['a', 1]]), new Date(0), new Set([1]), { f: () => 1 }, Symbol('s')]) {
    expect(() => yamlDocument(value)).toThrow(TypeError);
  }
});
