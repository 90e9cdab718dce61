// The analyze command (cli/analyze.ts runs it): schema validation and the mesh analyzer on any manifests.
// Exit 0 without errors, 1 with errors, 2 when the input cannot be read or parsed (or the options are wrong).
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { INJECTION_MODES, loadEnvironments, type InjectionMode } from '../config';
import { analyzeIndexed, MESSAGES, type IndexedFinding } from '../analyze/analyzer';
import { callGraphSchema, type CallGraph } from '../analyze/call-graph';
import { describeObject, LEVELS, type Finding } from '../analyze/finding';
import type { MeshContext } from '../analyze/mesh-context';
import { meshContextOf } from '../cdk8s/analyzer-context';
import { ManifestReadError, readManifests, type SourcedManifest } from '../kube/manifest-reader';
import { formatPath } from '../validate/schema-validator';
import { UsageError, type Command, type CommandIO, type OptionValues } from './command';
import { Progress } from './progress';

const HELP = `usage: npm run -s analyze -- -f FILE|FOLDER|- [-f ...] [options]   (or: node cli/run.mjs analyze ...)

Validates manifests against the Kubernetes 1.33 and Istio 1.30.3 schemas and analyzes them as a mesh.

  -f, --filename PATH     a YAML or JSON file, a folder of them, or - for standard input (repeatable)
  -R, --recursive         read folders' subfolders too
      --json              print the findings as JSON
      --env NAME          take the context from a configured environment: its injection mode, its control
                          plane's ingress gateway and its namespace (not its call graph: see --call-graph)
      --call-graph FILE   check AuthorizationPolicies against a call graph (YAML or JSON: {edges: [...]})
      --injection MODE    manual, auto or off (default: manual if any workload in the input has an istio-proxy
                          container, otherwise auto)
  -n, --namespace NS      namespace of objects that name none (default: default)

Exit status: 0 no errors, 1 errors found, 2 input that cannot be read or parsed.
`;

const OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  recursive: { type: 'boolean', short: 'R' },
  json: { type: 'boolean' },
  env: { type: 'string' },
  'call-graph': { type: 'string' },
  injection: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const;

/** `npm run -s analyze`, for cli/analyze.ts to run and tests to run in process (executeCommand). */
export const ANALYZE_COMMAND: Command<typeof OPTIONS> = {
  help: HELP,
  options: OPTIONS,
  errorExitCode: 2,
  run: (options, _positionals, io) => analyze(options, io),
};

function analyze(options: OptionValues<typeof OPTIONS>, io: CommandIO): number {
  if (!options.filename?.length) throw new UsageError('no input: give -f FILE, -f FOLDER or -f -');
  const context = contextOf(options);
  // a line every few seconds while a large input is read (the analysis itself takes a fraction of that)
  const progress = new Progress('analyze', io.stderr);
  const inputs = readManifests(options.filename, {
    recursive: options.recursive,
    onProgress: (file, done, total) => progress.update(file, done, total),
  });
  const findings = analyzeIndexed(
    inputs.map((input) => input.manifest),
    context,
  );
  const located = findings.map((finding) => locate(finding, inputs));
  io.stdout(options.json ? `${JSON.stringify(located, null, 2)}\n` : table(located, inputs));
  return findings.some((f) => f.finding.level === 'error') ? 1 : 0;
}

function contextOf(options: {
  env?: string;
  'call-graph'?: string;
  injection?: string;
  namespace?: string;
}): MeshContext {
  let context: MeshContext = {};
  if (options.env !== undefined) {
    const env = loadEnvironments().find((e) => e.name === options.env);
    if (!env)
      throw new UsageError(
        `no environment "${options.env}"; configured: ${loadEnvironments()
          .map((e) => e.name)
          .join(', ')}`,
      );
    context = meshContextOf(env);
  }
  if (options.injection !== undefined) {
    if (!(INJECTION_MODES as readonly string[]).includes(options.injection)) {
      throw new UsageError(`--injection ${options.injection}: must be one of ${INJECTION_MODES.join(', ')}`);
    }
    context = { ...context, injection: options.injection as InjectionMode };
  }
  if (options.namespace !== undefined) context = { ...context, defaultNamespace: options.namespace };
  if (options['call-graph'] !== undefined) context = { ...context, callGraph: readCallGraph(options['call-graph']) };
  return context;
}

function readCallGraph(file: string): CallGraph {
  let value: unknown;
  try {
    value = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestReadError(
      file,
      undefined,
      `cannot read the call graph: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const result = callGraphSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new ManifestReadError(file, undefined, `not a call graph: ${problems.join('; ')}`);
  }
  return result.data;
}

interface LocatedFinding extends Omit<Finding, 'path'> {
  readonly name: string;
  readonly path?: string;
  readonly file?: string;
  readonly line?: number;
}

function locate({ index, finding }: IndexedFinding, inputs: readonly SourcedManifest[]): LocatedFinding {
  const source = inputs[index];
  return {
    code: finding.code,
    name: MESSAGES.get(finding.code)?.name ?? finding.code,
    level: finding.level,
    object: finding.object,
    ...(finding.path ? { path: formatPath(finding.path) } : {}),
    message: finding.message,
    ...(source ? { file: source.file, line: finding.path ? source.lineOf(finding.path) : source.line } : {}),
  };
}

function table(findings: readonly LocatedFinding[], inputs: readonly SourcedManifest[]): string {
  const files = new Set(inputs.map((i) => i.file)).size;
  const scope = `${inputs.length} object(s) from ${files} file(s)`;
  if (findings.length === 0) return `No validation issues found in ${scope}.\n`;
  const rows = findings.map((f) => [
    f.level.toUpperCase(),
    f.code,
    describeObject(f.object),
    f.file ? `${f.file}:${f.line}` : '-',
    `${f.path ? `${f.path}: ` : ''}${f.message}`,
  ]);
  const header = ['LEVEL', 'CODE', 'OBJECT', 'SOURCE', 'MESSAGE'];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c))
      .join('  ')
      .trimEnd();
  const counts = LEVELS.map((level) => `${findings.filter((f) => f.level === level).length} ${level}(s)`).join(', ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${counts} in ${scope}.\n`;
}
