// `npm run kube-inject:grid -- --istio-src DIR`: measures our injector against upstream's injection test grid.
//
// DIR is a checkout (or `git archive`) of istio/istio at the release the injector reproduces, with
// pkg/kube/inject/inject_test.go and testdata/inject/. For every case TestInjection runs through kube-inject, the
// case's settings (setFlags, the .iop.yaml values file, the mesh config changes, the native sidecar switch) are given
// to our injector, the input is injected, and the output is compared with the golden file as parsed YAML.
// Nothing of upstream's is copied into this repository: the grid is read from DIR on every run.
//
//   npm run kube-inject:grid -- --istio-src /tmp/inject-1.30.3 [--istio-version 1.30.3] [--hub HUB] [--case NAME]
//     [--fields N] [--json FILE]
// --istio-version picks the minor the injector reproduces; --hub is the hub upstream's golden files carry
// (registry.istio.io/testing from 1.30, gcr.io/istio-testing in 1.29).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import diff from 'microdiff';
import { parseAllDocuments, parse } from 'yaml';
import { helmMerge } from '../inject/injection-settings';
import type { JsonObject } from '../kube/object';
import { injectManifests } from '../inject/manifest-stream';
import { parseManifests } from '../kube/manifest-reader';
import { SidecarInjector, type SidecarInjectorProps } from '../inject/sidecar-injector';

/** The hub and tag of the chart in upstream's source tree, which its golden files carry. */
const TEST_VALUES: JsonObject = { global: { hub: 'registry.istio.io/testing', tag: 'latest' } };

/** The release and hub of the grid being run (main's options). */
const grid = { istioVersion: undefined as string | undefined, hub: 'registry.istio.io/testing' };

export interface GridCase {
  readonly in: string;
  readonly want: string;
  readonly setFlags: string[];
  readonly inFilePath?: string;
  readonly mesh?: string;
  readonly setup?: string;
  readonly skipInjection: boolean;
  readonly expectedError?: string;
}

type Group = 'default' | 'native-off' | 'error' | 'settings';
const GROUPS: Readonly<Record<Group, string>> = {
  default: 'default settings',
  'native-off': 'default settings, native sidecars off',
  error: 'input upstream refuses',
  settings: 'values or mesh config',
};

export interface CaseResult {
  readonly name: string;
  /**
   * `default`: the release's values and mesh config; `native-off`: the same with native sidecars switched off (a
   * feature flag of istiod's); `error`: input upstream refuses; `settings`: values or mesh config of the case's own.
   */
  readonly group: Group;
  readonly outcome: 'equal' | 'differing' | 'not run';
  /** Differing fields (document index and path), an error, or why the case is not run. */
  readonly details: string[];
}

/** TestInjection's cases as inject_test.go lists them, plus every input file it adds with default settings. */
export function gridCases(testSource: string, inputFiles: readonly string[]): GridCase[] {
  const body = testSource.slice(testSource.indexOf('func TestInjection('));
  const start = body.indexOf('cases := []testCase{');
  if (start < 0) throw new Error('inject_test.go: no `cases := []testCase{` in TestInjection');
  const entries = topLevelBlocks(body.slice(start + 'cases := []testCase'.length));
  const cases = entries.map(parseCase);
  const wanted = new Set(cases.map((c) => c.want || `${c.in}.injected`));
  for (const file of inputFiles) {
    if (!file.endsWith('.yaml') || file.endsWith('.iop.yaml')) continue;
    if (!wanted.has(`${file}.injected`))
      cases.push({ in: file, want: `${file}.injected`, setFlags: [], skipInjection: false });
  }
  return cases;
}

/** The `{ ... }` entries directly inside the slice literal that `text` starts with. */
function topLevelBlocks(text: string): string[] {
  const blocks: string[] = [];
  let depth = 0;
  let begin = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '`') {
      const close = text.indexOf(c, i + 1);
      i = close < 0 ? text.length : close;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      continue;
    }
    if (c === '{') {
      depth++;
      if (depth === 2) begin = i;
    } else if (c === '}') {
      if (depth === 2) blocks.push(text.slice(begin + 1, i));
      depth--;
      if (depth === 0) break;
    }
  }
  return blocks;
}

function parseCase(block: string): GridCase {
  const field = (name: string) => new RegExp(`\\b${name}:\\s*"([^"]*)"`).exec(block)?.[1];
  const funcBody = (name: string) => {
    const at = block.search(new RegExp(`\\b${name}:\\s*func`));
    if (at < 0) return undefined;
    const open = block.indexOf('{', at);
    let depth = 0;
    for (let i = open; i < block.length; i++) {
      if (block[i] === '{') depth++;
      else if (block[i] === '}' && --depth === 0) return block.slice(open + 1, i);
    }
    return block.slice(open + 1);
  };
  const flags = /\bsetFlags:\s*\[\]string\{([^}]*)\}/.exec(block)?.[1] ?? '';
  const setFlags = [...flags.matchAll(/"([^"]*)"|`([^`]*)`/g)].map((m) => m[1] ?? m[2]);
  return {
    in: field('in') ?? '',
    want: field('want') ?? '',
    setFlags,
    inFilePath: field('inFilePath'),
    mesh: funcBody('mesh'),
    setup: funcBody('setup'),
    skipInjection: /\bskipInjection:\s*true/.test(block),
    expectedError: field('expectedError'),
  };
}

/** Our reading of one case's settings, or why we cannot read them. */
export function caseSettings(c: GridCase, dataDir: string): SidecarInjectorProps | string {
  let values = helmMerge(structuredClone(TEST_VALUES), { global: { hub: grid.hub } });
  for (const flag of c.setFlags) {
    const eq = flag.indexOf('=');
    const [key, raw] = [flag.slice(0, eq), flag.slice(eq + 1)];
    const value = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw;
    // the operator hands `components.cni.enabled` and `values.cni.*` to istiod as its `cni` (pilot.cni) values
    const target =
      key === 'components.cni.enabled'
        ? 'pilot.cni.enabled'
        : key.replace(/^values\.(cni\.)/, 'pilot.$1').replace(/^values\./, '');
    if (target === key) return `setFlags ${flag}: not a values flag`;
    values = helmMerge(values, nested(target.split('.'), value));
  }
  if (c.inFilePath) {
    const iop = parse(fs.readFileSync(path.join(dataDir, c.inFilePath), 'utf8')) as { spec?: JsonObject };
    const spec = iop.spec ?? {};
    if (spec.values) values = helmMerge(values, spec.values as JsonObject);
    if (spec.meshConfig) values = helmMerge(values, { meshConfig: spec.meshConfig });
  }
  let meshConfig: JsonObject | undefined;
  if (c.mesh) {
    const mesh = meshChanges(c.mesh);
    if (typeof mesh === 'string') return mesh;
    meshConfig = mesh;
  }
  let nativeSidecars: boolean | undefined;
  if (c.setup) {
    if (/EnableNativeSidecars,\s*features\.NativeSidecarModeDisabled/.test(c.setup)) nativeSidecars = false;
    else return `setup: ${c.setup.trim().split('\n')[0]}`;
  }
  return { values, meshConfig, nativeSidecars };
}

function nested(keys: string[], value: unknown): JsonObject {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as JsonObject;
}

/** The mesh config changes a case's `mesh` function makes, for the statements the grid uses. */
function meshChanges(body: string): JsonObject | string {
  let mesh: JsonObject = {};
  const add = (change: JsonObject) => (mesh = helmMerge(mesh, change));
  // an OpenTelemetry tracing provider appended to extensionProviders, written as a struct literal
  const otel =
    /m\.ExtensionProviders = append\(m\.ExtensionProviders, &meshapi\.MeshConfig_ExtensionProvider\{\s*Name:\s*"([^"]+)",\s*Provider: &meshapi\.MeshConfig_ExtensionProvider_Opentelemetry\{\s*Opentelemetry: &meshapi\.MeshConfig_ExtensionProvider_OpenTelemetryTracingProvider\{\s*Service:\s*"([^"]+)",\s*Port:\s*(\d+),\s*ServiceAttributeEnrichment:\s*meshapi\.MeshConfig_ExtensionProvider_(\w+),\s*\},\s*\},\s*\}\)/.exec(
      body,
    );
  if (otel) {
    const [statement, name, service, port, enrichment] = otel;
    body = body.replace(statement, '');
    mesh.extensionProviders = [
      { name, opentelemetry: { service, port: Number(port), serviceAttributeEnrichment: enrichment } },
    ];
  }
  for (const statement of body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'))) {
    let m: RegExpExecArray | null;
    if ((m = /^m\.DefaultConfig\.InterceptionMode = meshapi\.ProxyConfig_(\w+)$/.exec(statement))) {
      add({ defaultConfig: { interceptionMode: m[1] } });
    } else if ((m = /^m\.DefaultConfig\.DrainDuration = durationpb\.New\(time\.Second \* (\d+)\)$/.exec(statement))) {
      add({ defaultConfig: { drainDuration: `${m[1]}s` } });
    } else if ((m = /^m\.DefaultConfig\.ProxyMetadata\["([^"]+)"\] = "([^"]*)"$/.exec(statement))) {
      add({ defaultConfig: { proxyMetadata: { [m[1]]: m[2] } } });
    } else if (/^m\.DefaultConfig\.Tracing = &meshapi\.Tracing\{\}$/.test(statement)) {
      add({ defaultConfig: { tracing: {} } });
    } else if (/^Mode: meshapi\.MeshConfig_InboundTrafficPolicy_LOCALHOST,?$/.test(statement)) {
      add({ inboundTrafficPolicy: { mode: 'LOCALHOST' } });
    } else if (
      /^(if m\.DefaultConfig\.ProxyMetadata == nil \{|m\.DefaultConfig\.ProxyMetadata = map\[string\]string\{\}|\}\)?,?|m\.InboundTrafficPolicy = &meshapi\.MeshConfig_InboundTrafficPolicy\{)$/.test(
        statement,
      )
    ) {
      // scaffolding of the statements above
    } else {
      return `mesh: ${statement}`;
    }
  }
  return mesh;
}

/** Runs one case. */
export function runCase(c: GridCase, dataDir: string): CaseResult {
  const name = c.expectedError ? c.in : c.want;
  const group: Group =
    c.setFlags.length > 0 || c.inFilePath || c.mesh
      ? 'settings'
      : c.expectedError
        ? 'error'
        : c.setup
          ? 'native-off'
          : 'default';
  if (c.skipInjection)
    return { name, group, outcome: 'not run', details: ['upstream runs it through the webhook only'] };
  const settings = caseSettings(c, dataDir);
  if (typeof settings === 'string') return { name, group, outcome: 'not run', details: [settings] };
  const input = fs.readFileSync(path.join(dataDir, c.in), 'utf8');
  let output: string;
  try {
    output = injectManifests(
      parseManifests(input, c.in, { expandLists: false, requireKind: false }),
      new SidecarInjector({ ...settings, istioVersion: grid.istioVersion }),
    ).yaml;
  } catch (error) {
    const message = (error as Error).message;
    if (c.expectedError && message.toLowerCase().includes(c.expectedError))
      return { name, group, outcome: 'equal', details: [] };
    return { name, group, outcome: 'differing', details: [`error: ${message.split('\n')[0]}`] };
  }
  if (c.expectedError)
    return { name, group, outcome: 'differing', details: [`no error (upstream: "${c.expectedError}")`] };
  const documents = (text: string) =>
    parseAllDocuments(text)
      .map((d) => d.toJS() as unknown)
      .filter((d) => d !== null && d !== undefined);
  const got = documents(output);
  const want = documents(fs.readFileSync(path.join(dataDir, c.want), 'utf8'));
  const details: string[] = [];
  if (got.length !== want.length) details.push(`documents: ${got.length}, upstream ${want.length}`);
  for (let i = 0; i < Math.min(got.length, want.length); i++) {
    for (const change of diff(want[i] as JsonObject, got[i] as JsonObject)) {
      details.push(
        `${i + 1}:${change.path.join('.')} (${
          change.type === 'CHANGE' ? 'differs' : change.type === 'CREATE' ? 'extra' : 'missing'
        })`,
      );
    }
  }
  return { name, group, outcome: details.length === 0 ? 'equal' : 'differing', details };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'istio-src': { type: 'string' },
      'istio-version': { type: 'string' },
      hub: { type: 'string' },
      case: { type: 'string' },
      fields: { type: 'string', default: '6' },
      json: { type: 'string' },
    },
  });
  const source = values['istio-src'];
  grid.istioVersion = values['istio-version'];
  if (values.hub) grid.hub = values.hub;
  if (!source)
    throw new Error('give --istio-src DIR: istio/istio at the release, e.g. `git archive 1.30.3 pkg/kube/inject`');
  const injectDir = path.join(source, 'pkg/kube/inject');
  const dataDir = path.join(injectDir, 'testdata/inject');
  if (!fs.existsSync(path.join(injectDir, 'inject_test.go'))) throw new Error(`${injectDir}/inject_test.go: not found`);
  const cases = gridCases(
    fs.readFileSync(path.join(injectDir, 'inject_test.go'), 'utf8'),
    fs.readdirSync(dataDir).sort(),
  );
  const results = cases
    .map((c) => runCase(c, dataDir))
    .filter((r) => values.case === undefined || r.name.includes(values.case));
  const limit = Number(values.fields);
  for (const r of results.filter((r) => r.outcome !== 'equal')) {
    const more = r.details.length > limit ? ` … ${r.details.length - limit} more` : '';
    process.stdout.write(
      `${r.outcome === 'not run' ? 'not run  ' : 'differing'} [${r.group}] ${r.name}: ${r.details
        .slice(0, limit)
        .join(', ')}${more}\n`,
    );
  }
  for (const [group, label] of Object.entries(GROUPS)) {
    const of = results.filter((r) => r.group === group);
    const count = (o: CaseResult['outcome']) => of.filter((r) => r.outcome === o).length;
    process.stdout.write(
      `${label}: ${of.length} cases, ${count('equal')} equal, ${count('differing')} differing, ${count(
        'not run',
      )} not run\n`,
    );
  }
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(results, null, 1)}\n`);
}

if (require.main === module) main();
