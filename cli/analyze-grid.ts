// `npm run -s analyze:grid -- --istio-src DIR [--verbose] [--json]`: measures our analyzer against istioctl's own
// analyzer test grid (pkg/config/analysis/analyzers/analyzers_test.go and its testdata/) in an Istio source tree:
// which of the grid's message codes we implement, and on how many of its cases our findings equal the expected ones.
// Nothing of upstream's is copied into this project: the grid is read from DIR at run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { analyzeIndexed, MESSAGES } from '../analyze/analyzer';
import { parseManifests, type SourcedManifest } from '../kube/manifest-reader';
import { rec, str } from '../kube/object';
import { ISTIOCTL_INGRESS_GATEWAY, type MeshContext } from '../analyze/mesh-context';

/** One case of the grid, as its Go table states it. */
export interface GridCase {
  readonly name: string;
  readonly inputFiles: readonly string[];
  readonly meshConfigFile?: string;
  readonly meshNetworksFile?: string;
  /** `package.Type` of the analyzer the case runs (alone). */
  readonly analyzer: string;
  /** Expected messages: the message's Go name and the resource, `Kind [namespace/]name`. */
  readonly expected: readonly { readonly message: string; readonly resource: string }[];
}

/**
 * Reads the `testGrid` table of analyzers_test.go: a small reader of exactly that Go composite literal (string
 * literals, `[]string{...}`, `&pkg.Type{}` or `pkg.Constructor(...)`, `[]message{{msg.Name, "resource"}, ...}`), not a
 * Go parser. The analyzer is named by its package folder and type (or constructor).
 */
export function parseTestGrid(goSource: string): GridCase[] {
  const start = goSource.indexOf('var testGrid = []testCase{');
  if (start < 0) throw new Error('no `var testGrid = []testCase{` in the file');
  // import aliases to package folders: `schemaValidation "istio.io/.../analyzers/schema"`
  const packages = new Map(
    [...goSource.matchAll(/^\s*(?:(\w+)\s+)?"istio\.io\/istio\/pkg\/config\/analysis\/analyzers\/([\w/]+)"/gm)].map(
      (m) => [m[1] ?? m[2].split('/').pop()!, m[2]],
    ),
  );
  const body = blockAt(goSource, goSource.indexOf('{', start + 'var testGrid = []testCase'.length));
  return topLevelBlocks(body).flatMap((block): GridCase[] => {
    // `&pkg.Type{}`, or a constructor such as `schemaValidation.CollectionValidationAnalyzer(collections.VirtualService)`
    const analyzer = /\banalyzer:\s*&?(\w+)\.(\w+)[{(]/.exec(block);
    if (!analyzer) return [];
    const strings = (field: string) => {
      const at = new RegExp(`\\b${field}:\\s*\\[\\]string\\{`).exec(block);
      return at
        ? [...blockAt(block, at.index + at[0].length - 1).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1])
        : [];
    };
    const scalar = (field: string) => new RegExp(`\\b${field}:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(block)?.[1];
    const expectedAt = /\bexpected:\s*\[\]message\{/.exec(block);
    const expected = expectedAt
      ? [
          ...blockAt(block, expectedAt.index + expectedAt[0].length - 1).matchAll(
            /\{\s*msg\.(\w+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}/g,
          ),
        ].map((m) => ({ message: m[1], resource: m[2] }))
      : [];
    return [
      {
        name: scalar('name') ?? '(unnamed)',
        inputFiles: strings('inputFiles'),
        meshConfigFile: scalar('meshConfigFile'),
        meshNetworksFile: scalar('meshNetworksFile'),
        analyzer: `${packages.get(analyzer[1]) ?? analyzer[1]}.${analyzer[2]}`,
        expected,
      },
    ];
  });
}

/** Go source without comments, strings kept (the grid's strings hold no comment markers, but be careful anyway). */
function stripComments(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      const end = stringEnd(source, i);
      out += source.slice(i, end + 1);
      i = end;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

function stringEnd(source: string, open: number): number {
  let i = open + 1;
  while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
  return i;
}

/** The text inside the braces opened at `open`, braces in strings and comments ignored. */
function blockAt(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"') i = stringEnd(source, i);
    else if (c === '/' && source[i + 1] === '/') while (i < source.length && source[i] !== '\n') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return stripComments(source.slice(open + 1, i));
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

/** The `{...}` blocks directly inside a block's text. */
function topLevelBlocks(body: string): string[] {
  const blocks: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '"') i = stringEnd(body, i);
    else if (body[i] === '{') {
      const inner = blockAt(body, i);
      blocks.push(inner);
      i += inner.length + 1;
    }
  }
  return blocks;
}

/** Message names to codes, from the tree's msg/messages.yaml. */
export function messageCodes(messagesYaml: string): Map<string, string> {
  const doc = parseYaml(messagesYaml) as { messages: { name: string; code: string }[] };
  return new Map(doc.messages.map((m) => [m.name, m.code]));
}

/**
 * The codes an analyzer can report: the `msg.NewX` calls in the file that declares its type (or, failing that, in
 * its package), read from the source tree.
 */
function analyzerCodes(
  analyzersDir: string,
  analyzer: string,
  codes: ReadonlyMap<string, string>,
): { codes: Set<string>; references: Set<string> } {
  const [pkg, type] = [analyzer.slice(0, analyzer.lastIndexOf('.')), analyzer.slice(analyzer.lastIndexOf('.') + 1)];
  const dir = path.join(analyzersDir, pkg);
  const files = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    : [];
  const sources = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const own = sources.filter((s) => new RegExp(`\\btype ${type} struct\\b`).test(s));
  const found = (list: string[]) =>
    new Set(list.flatMap((s) => [...s.matchAll(/\bmsg\.New(\w+)\(/g)].map((m) => codes.get(m[1]) ?? m[1])));
  const chosen = found(own).size > 0 ? own : sources;
  // the kinds of reference whose absence it reports as IST0101 ("gateway", "host", "selector", ...)
  const references = new Set(
    chosen.flatMap((s) =>
      [...s.matchAll(/\bmsg\.NewReferencedResourceNotFound\(\s*\w+,\s*"([^"]+)"/g)].map((m) => m[1]),
    ),
  );
  return { codes: found(chosen), references };
}

/**
 * Whether one of our findings is one the case's analyzer could have reported. Upstream's harness runs one analyzer
 * at a time, while our checks are grouped differently; IST0101 in particular is reported by several analyzers, each
 * for its own kind of reference, which its message names ("Referenced gateway not found: ...").
 */
function fromAnalyzer(
  finding: { code: string; message: string },
  emits: { codes: Set<string>; references: Set<string> },
): boolean {
  if (!emits.codes.has(finding.code)) return false;
  if (finding.code !== 'IST0101' || emits.references.size === 0) return true;
  return [...emits.references].some((reference) => finding.message.startsWith(`Referenced ${reference} not found`));
}

/**
 * The context upstream's test harness analyzes in: objects without a namespace stay without one, istioctl's default
 * ingress gateway runs in istio-system, and the case's mesh config (if any) applies.
 */
function gridContext(meshConfig: unknown): MeshContext {
  return {
    defaultNamespace: '',
    injection: 'auto',
    ingressGateways: [ISTIOCTL_INGRESS_GATEWAY],
    meshConfig: rec(meshConfig),
  };
}

export interface CaseResult {
  readonly case: GridCase;
  readonly expected: string[];
  readonly ours: string[];
  readonly agrees: boolean;
  /** Every code the case's analyzer can report is one we implement. */
  readonly covered: boolean;
  /** Why the case could not run, if it could not. */
  readonly error?: string;
}

export interface GridReport {
  readonly gridCodes: string[];
  readonly coveredCodes: string[];
  readonly results: CaseResult[];
}

/** Runs our analyzer on every case of the grid in an Istio source tree. */
export function runGrid(istioSrc: string): GridReport {
  const analysis = path.join(istioSrc, 'pkg', 'config', 'analysis');
  const analyzersDir = path.join(analysis, 'analyzers');
  const cases = parseTestGrid(fs.readFileSync(path.join(analyzersDir, 'analyzers_test.go'), 'utf8'));
  const codes = messageCodes(fs.readFileSync(path.join(analysis, 'msg', 'messages.yaml'), 'utf8'));
  const codeOf = (name: string) => codes.get(name) ?? name;
  const gridCodes = [...new Set(cases.flatMap((c) => c.expected.map((e) => codeOf(e.message))))].sort();
  const ours = new Set(MESSAGES.keys());
  const results = cases.map((c): CaseResult => {
    const emits = analyzerCodes(analyzersDir, c.analyzer, codes);
    const expected = c.expected.map((e) => `${codeOf(e.message)} ${e.resource}`).sort();
    // codes the grid never exercises do not count against a case
    const covered = [...emits.codes]
      .filter((code) => gridCodes.includes(code))
      .concat(c.expected.map((e) => codeOf(e.message)))
      .every((code) => ours.has(code));
    try {
      const inputs: SourcedManifest[] = c.inputFiles.flatMap((file) =>
        parseManifests(fs.readFileSync(path.join(analyzersDir, file), 'utf8'), file, { requireKind: false }),
      );
      const meshConfig = c.meshConfigFile
        ? parseYaml(fs.readFileSync(path.join(analyzersDir, c.meshConfigFile), 'utf8'))
        : undefined;
      const findings = analyzeIndexed(
        inputs.map((i) => i.manifest),
        gridContext(meshConfig),
      );
      const found = findings
        .filter(({ finding }) => fromAnalyzer(finding, emits))
        .map(({ index, finding }) => {
          const metadata = rec(inputs[index].manifest.metadata);
          const namespace = str(metadata.namespace);
          return `${finding.code} ${finding.object.kind} ${namespace ? `${namespace}/` : ''}${finding.object.name}`;
        })
        .sort();
      return { case: c, expected, ours: found, covered, agrees: JSON.stringify(found) === JSON.stringify(expected) };
    } catch (error) {
      return { case: c, expected, ours: [], covered, agrees: false, error: (error as Error).message.split('\n')[0] };
    }
  });
  return { gridCodes, coveredCodes: gridCodes.filter((code) => ours.has(code)), results };
}

function main(): number {
  const { values } = parseArgs({
    options: { 'istio-src': { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, json: { type: 'boolean' } },
    strict: true,
  });
  const src = values['istio-src'];
  if (!src)
    throw new Error(
      'give --istio-src DIR: an Istio source tree (a checkout at a release tag, or the Go module cache copy)',
    );
  const report = runGrid(src);
  const onCovered = report.results.filter((r) => r.covered);
  const agreeing = onCovered.filter((r) => r.agrees);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const lines = report.results
    .filter((r) => values.verbose || (r.covered && !r.agrees))
    .map((r) =>
      [
        `${r.agrees ? 'agree   ' : 'DISAGREE'} ${r.covered ? '' : '(not covered) '}${r.case.name} [${r.case.analyzer}]${r.error ? ` error: ${r.error}` : ''}`,
        ...(r.agrees
          ? []
          : [
              ...r.expected.filter((e) => !r.ours.includes(e)).map((e) => `    missing:    ${e}`),
              ...r.ours.filter((o) => !r.expected.includes(o)).map((o) => `    unexpected: ${o}`),
            ]),
      ].join('\n'),
    );
  const missing = report.gridCodes.filter((c) => !report.coveredCodes.includes(c));
  process.stdout.write(
    [
      ...lines,
      '',
      `codes: ${report.coveredCodes.length} of the grid's ${report.gridCodes.length} covered`,
      `not covered: ${missing.join(' ')}`,
      `cases: ${agreeing.length} of ${onCovered.length} on covered analyzers agree (${pct(agreeing.length, onCovered.length)}); ` +
        `${report.results.filter((r) => r.agrees).length} of all ${report.results.length} cases agree`,
      '',
    ].join('\n'),
  );
  return 0;
}

const pct = (a: number, b: number) => `${b === 0 ? 0 : Math.round((1000 * a) / b) / 10} %`;

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message.split('\n')[0]}\n`);
    process.exitCode = 2;
  }
}
