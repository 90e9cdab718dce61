import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { analyzeManifests } from '../../analyze/analyzer';
import { callGraphSchema } from '../../analyze/call-graph';
import type { MeshContext } from '../../analyze/mesh-context';
import type { Manifest } from '../../kube/object';
import { MESH_PROFILES, type Environment } from '../../config';
import { analyzersByCode, skippedAnalyzers } from '../analyzer-coverage';
import { helmReleases } from '../../cdktf/helm-releases';
import { renderRelease } from '../charts';
import { notRun, resultOf, type CheckResult, type Toolbox } from '../check';
import { ANALYZER_DEPARTURES } from '../departures';
import { answerOf, run } from '../process';
import { kubernetesFiles, meshStackId, parseObjects, renderCommand, type Subjects } from '../subjects';
import { goModDownload } from '../tools/tool';

const TITLE =
  "Analysis: `istioctl analyze --use-kube=false` over dist/cdk8s with the control plane's gateway, and agreement with our analyzer";

/** One message of `istioctl analyze -o json`. */
interface IstioctlMessage {
  readonly code: string;
  readonly level: string;
  readonly message: string;
  readonly origin?: string;
}

export function istioctlAnalyze(
  istioctl: string,
  files: readonly string[],
  meshConfig?: string,
): { messages: IstioctlMessage[]; error?: string } {
  // -A: every namespace (istioctl reports only the current namespace's otherwise); --failure-threshold: exit 0
  // whatever it finds, the check reads the levels itself.
  const mesh = meshConfig ? ['--meshConfigFile', meshConfig] : [];
  const result = run(istioctl, [
    'analyze',
    '--all-namespaces',
    '--use-kube=false',
    ...mesh,
    '-o',
    'json',
    '--failure-threshold',
    'Error',
    '--output-threshold',
    'Info',
    ...files,
  ]);
  const start = result.stdout.indexOf('[');
  try {
    return { messages: start < 0 ? [] : (JSON.parse(result.stdout.slice(start)) as IstioctlMessage[]) };
  } catch {
    const why = [
      ...new Set(
        result.stderr
          .split('\n')
          .filter((l) => /error processing/.test(l))
          .map((l) => l.replace(/^.*?error processing/, 'error processing').trim()),
      ),
    ];
    return {
      messages: [],
      error:
        why.length > 0 ? why.join('; ') : `istioctl analyze printed no JSON (exit ${result.code}): ${answerOf(result)}`,
    };
  }
}

/** The mesh config istiod runs with (the istiod chart's `istio` ConfigMap, with the stack's values), as a file. */
function meshConfigFile(subjects: Subjects, tools: Toolbox, env: Environment): string | undefined {
  const stack = meshStackId(env);
  const file = stack && path.join(subjects.dist, 'cdktf', 'stacks', stack, 'cdk.tf.json');
  const release = file && fs.existsSync(file) ? helmReleases(file).find((r) => r.chart === 'istiod') : undefined;
  if (!release) return undefined;
  const configMap = renderRelease(tools, release).objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      (o.metadata.name === 'istio' || o.metadata.name?.startsWith('istio-')) &&
      (o as { data?: { mesh?: string } }).data?.mesh,
  ) as { data: { mesh: string } } | undefined;
  if (!configMap) return undefined;
  const out = path.join(tools.work, `${env.name}-mesh.yaml`);
  fs.writeFileSync(out, configMap.data.mesh);
  return out;
}

/** What the control plane of an environment runs for its ingress gateway, as its gateway chart renders it. */
function gatewayObjects(subjects: Subjects, tools: Toolbox, env: Environment): { objects: Manifest[]; note?: string } {
  const stack = meshStackId(env);
  const file = stack && path.join(subjects.dist, 'cdktf', 'stacks', stack, 'cdk.tf.json');
  const release = file && fs.existsSync(file) ? helmReleases(file).find((r) => r.chart === 'gateway') : undefined;
  if (!release)
    return {
      objects: [],
      note: `environment "${env.name}": its control plane (${env.mesh.mode}) installs no gateway chart; analyzed without the gateway's objects`,
    };
  const { objects, error } = renderRelease(tools, release);
  if (error) return { objects: [], note: `environment "${env.name}": ${error}` };
  return { objects: objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Service') };
}

function writeObjects(tools: Toolbox, name: string, objects: readonly Manifest[]): string {
  const file = path.join(tools.work, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return file;
}

/** A case of the agreement table: files analyzed by both, in the context our analyzer is given. */
interface AgreementCase {
  readonly name: string;
  readonly files: readonly string[];
  readonly context: MeshContext;
}

function agreementCases(fixtures: string): AgreementCase[] {
  if (!fs.existsSync(fixtures)) return [];
  const base = path.join(fixtures, 'base.yaml');
  const context = (dir: string): MeshContext => {
    const graph = path.join(dir, 'call-graph.yaml');
    return {
      injection: 'auto',
      ingressGateways: [MESH_PROFILES['istio-helm'].ingressGateway],
      ...(fs.existsSync(graph) ? { callGraph: callGraphSchema.parse(parse(fs.readFileSync(graph, 'utf8'))) } : {}),
    };
  };
  const cases: AgreementCase[] = [];
  for (const code of fs
    .readdirSync(fixtures)
    .filter((f) => /^(IST|HI)\d{4}$/.test(f))
    .sort()) {
    for (const kind of ['trigger', 'clean']) {
      const file = path.join(fixtures, code, `${kind}.yaml`);
      if (fs.existsSync(file))
        cases.push({ name: `${code}/${kind}`, files: [base, file], context: context(path.join(fixtures, code)) });
    }
  }
  const bookinfo = path.join(fixtures, 'bookinfo');
  if (fs.existsSync(bookinfo)) {
    const files = fs
      .readdirSync(bookinfo)
      .filter((f) => f.endsWith('.yaml') && f !== 'call-graph.yaml')
      .sort();
    cases.push({ name: 'bookinfo', files: files.map((f) => path.join(bookinfo, f)), context: context(bookinfo) });
    const broken = path.join(bookinfo, 'broken');
    if (fs.existsSync(broken)) {
      cases.push({
        name: 'bookinfo/broken',
        files: files.map((f) => (fs.existsSync(path.join(broken, f)) ? path.join(broken, f) : path.join(bookinfo, f))),
        context: context(bookinfo),
      });
    }
  }
  return cases;
}

export function analysisCheck(subjects: Subjects, tools: Toolbox): CheckResult {
  const istioctl = tools.istioctl.path;
  if (!istioctl) return notRun('analysis', TITLE, 'no istioctl could be had (see Tools)');
  const failures: string[] = [];
  const notes: string[] = [];
  const figures: string[] = [];
  for (const env of subjects.environments) {
    const gateway = gatewayObjects(subjects, tools, env);
    if (gateway.note) notes.push(gateway.note);
    const files = [...kubernetesFiles(subjects.dist, env.name)];
    if (gateway.objects.length > 0) files.push(writeObjects(tools, `${env.name}-gateway`, gateway.objects));
    const mesh = meshConfigFile(subjects, tools, env);
    if (!mesh)
      notes.push(
        `environment "${env.name}": no istiod chart in its stacks; analyzed with istioctl's default mesh config`,
      );
    const { messages, error } = istioctlAnalyze(istioctl, files, mesh);
    if (error) {
      failures.push(`dist/cdk8s/${env.name}: ${error}`);
      continue;
    }
    const serious = messages.filter((m) => m.level === 'Error' || m.level === 'Warning');
    figures.push(`${env.name}: ${serious.length} errors or warnings, ${messages.length - serious.length} infos`);
    failures.push(
      ...serious.map((m) => `dist/cdk8s/${env.name}: ${m.level} [${m.code}] ${m.origin ?? ''}: ${m.message}`),
    );
    notes.push(
      ...messages
        .filter((m) => !serious.includes(m))
        .map((m) => `dist/cdk8s/${env.name}: info [${m.code}] ${m.origin ?? ''}: ${m.message}`),
    );
  }

  // Every environment that can take it, with the Gateway API ingress: each preset the Gateway API can express.
  for (const render of subjects.gatewayApi) {
    const env = subjects.environments.find((e) => e.name === render.environment)!;
    const file = path.join(fs.mkdtempSync(path.join(tools.work, 'gateway-api-')), `${render.preset}.yaml`);
    fs.writeFileSync(file, render.yaml);
    const { messages, error } = istioctlAnalyze(istioctl, [file], meshConfigFile(subjects, tools, env));
    const where = renderCommand(render);
    if (error) {
      failures.push(`${where}: ${error}`);
      continue;
    }
    const serious = messages.filter((m) => m.level === 'Error' || m.level === 'Warning');
    failures.push(...serious.map((m) => `${where}: ${m.level} [${m.code}] ${m.origin ?? ''}: ${m.message}`));
    if (serious.length > 0) figures.push(`${where}: ${serious.length} errors or warnings`);
  }
  if (subjects.gatewayApi.length > 0) {
    figures.push(
      `${subjects.gatewayApi.length} renders with the Gateway API ingress analyzed (${subjects.gatewayApiRefused.length} presets refused)`,
    );
  }
  notes.push(...subjects.gatewayApiRefused.map((r) => `refused, as it should be: ${r}`));

  // The agreement table: the same fixtures through both analyzers, code by code.
  const helmEnv = subjects.environments.find((e) => meshStackId(e));
  const gateway = helmEnv ? gatewayObjects(subjects, tools, helmEnv).objects : [];
  const gatewayFile = gateway.length > 0 ? writeObjects(tools, 'fixtures-gateway', gateway) : undefined;
  const byCode = new Map<string, { ours: string[]; theirs: string[] }>();
  const entry = (code: string) => byCode.get(code) ?? byCode.set(code, { ours: [], theirs: [] }).get(code)!;
  const cases = agreementCases(subjects.analyzeFixtures);
  const unreadable: string[] = [];
  for (const c of cases) {
    const manifests = c.files.flatMap((f) => parseObjects(fs.readFileSync(f, 'utf8')));
    const { messages, error } = istioctlAnalyze(istioctl, gatewayFile ? [...c.files, gatewayFile] : c.files);
    if (error) {
      // istioctl cannot load the fixture at all: nothing to agree on; the fixture itself is the finding.
      unreadable.push(c.name);
      failures.push(
        `analyzer fixture ${c.name}: istioctl cannot load it (${error.replace(/\s+/g, ' ')}); ours analyzes it`,
      );
      continue;
    }
    for (const code of new Set(analyzeManifests(manifests, c.context).map((f) => f.code)))
      entry(code).ours.push(c.name);
    for (const code of new Set(messages.map((m) => m.code))) entry(code).theirs.push(c.name);
  }
  // Codes istioctl cannot report offline: every analyzer that reports them is skipped without runtime kinds.
  const sourceVersion = /@(\S+)$/.exec(tools.istioctl.source ?? '')?.[1];
  const source = sourceVersion
    ? goModDownload('istio.io/istio', sourceVersion, { sumdbOff: sourceVersion.startsWith('v0.0.0-') }).source
    : undefined;
  const analyzers = source ? analyzersByCode(source.dir) : new Map<string, Set<string>>();
  const skipped = cases.length > 0 ? skippedAnalyzers(istioctl, cases[cases.length - 1].files) : new Set<string>();
  const offlineBlind = (code: string) => {
    const by = analyzers.get(code);
    return by !== undefined && by.size > 0 && [...by].every((a) => skipped.has(a));
  };
  if (!source)
    notes.push(
      "the istioctl module's source could not be read: codes of analyzers istioctl skips offline are not told apart",
    );
  notes.push(
    `\`istioctl analyze --use-kube=false\` reads no runtime kinds (Pods, Namespaces) from files and skips the analyzers that ` +
      `need them (${skipped.size}: ${[...skipped].sort().join(', ')}); a code only they report cannot appear offline. Such ` +
      'codes are marked "not judged offline" below and are not counted as departures.',
  );
  const rows: string[] = [
    '| Code | Cases ours reports | Cases istioctl reports | Agree | Departures (case: who reports it) |',
    '| --- | --- | --- | --- | --- |',
  ];
  let agreeing = 0;
  let compared = 0;
  const blind: string[] = [];
  for (const [code, { ours, theirs }] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
    const ownCode = code.startsWith('HI');
    if (!ownCode && offlineBlind(code)) {
      blind.push(code);
      rows.push(
        `| ${code} | ${ours.length} | ${theirs.length} | not judged offline | istioctl skips ${[...analyzers.get(code)!].join(', ')} without runtime kinds |`,
      );
      continue;
    }
    const departures = [...new Set([...ours, ...theirs])]
      .filter((c) => ours.includes(c) !== theirs.includes(c))
      .map(
        (c) =>
          `${c}: ${ours.includes(c) ? 'ours only' : 'istioctl only'}${ANALYZER_DEPARTURES.some((a) => a.code === code && a.case === c) ? ' (a listed departure)' : ''}`,
      );
    if (!ownCode) {
      compared++;
      if (departures.length === 0) agreeing++;
    }
    rows.push(
      `| ${code} | ${ours.length} | ${ownCode ? '— (our own code)' : theirs.length} | ${ownCode ? '—' : `${cases.length - unreadable.length - departures.length}/${cases.length - unreadable.length}`} | ${ownCode ? '' : departures.join('; ')} |`,
    );
    if (ownCode) continue;
    for (const d of departures) {
      const [caseName] = d.split(':');
      const accepted = ANALYZER_DEPARTURES.find((a) => a.code === code && a.case === caseName);
      if (!accepted)
        failures.push(
          `analyzer departure ${code} on fixture ${d} (fix it, or list it in the README's departures with its upstream source)`,
        );
    }
  }
  figures.push(
    `agreement over ${cases.length - unreadable.length} fixture cases: ${agreeing} of ${compared} istioctl codes agree on every case` +
      (blind.length > 0 ? `, ${blind.length} more not judged offline by istioctl` : ''),
  );
  notes.push(
    'Agreement: every per-code fixture of test/analyze/fixtures (base.yaml with trigger.yaml, and with clean.yaml) and ' +
      "the Bookinfo samples (as they are and broken/) go through our analyzer (auto injection, istio-helm's ingress " +
      "gateway) and through istioctl with the gateway chart's Deployment and Service beside them; a code agrees on a case " +
      'when both report it or neither does. HI codes are our own and have no istioctl counterpart.',
  );
  return resultOf('analysis', TITLE, figures.join('; '), failures, notes, rows.join('\n'));
}
