// `npm run conformance [-- --self-test] [-- --only CHECK,...]`: installs the real tools into the cache, runs every
// check on dist/ (and the presets and fixtures), writes CONFORMANCE.md and exits 1 if a check that ran failed.
// A tool that cannot be had is reported loudly (NOT RUN), and does not fail the run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { CHECK_IDS, type CheckId, type CheckResult, type Toolbox } from './check';
import { analysisCheck } from './checks/analysis';
import { injectionCheck } from './checks/injection';
import { policyCheck } from './checks/policy';
import { terraformCheck } from './checks/terraform';
import { validationCheck } from './checks/validation';
import { cacheDir, log, run } from './process';
import { formatReport } from './report';
import { selfTest } from './self-test';
import { projectSubjects, type Subjects } from './subjects';
import { installCheckov } from './tools/checkov';
import { installHelm } from './tools/helm';
import { downloadIstioCharts, installIstioctl } from './tools/istio';
import { installOpenTofu, installProviders, pluginDir } from './tools/opentofu';

export const CHECKS: Readonly<Record<CheckId, (subjects: Subjects, tools: Toolbox) => CheckResult>> = {
  validation: validationCheck,
  injection: injectionCheck,
  analysis: analysisCheck,
  terraform: terraformCheck,
  policy: policyCheck,
};

async function installTools(cache: string, istioVersion: string, work: string): Promise<Toolbox> {
  fs.mkdirSync(cache, { recursive: true });
  log(`installing the tools into ${cache}`);
  const istioctl = await installIstioctl(cache, istioVersion);
  const charts = downloadIstioCharts(istioVersion);
  const helm = await installHelm(cache);
  const tofu = await installOpenTofu(cache);
  const providers = await installProviders(cache);
  const checkov = installCheckov(cache);
  return { istioctl, charts, helm, tofu, providers, pluginDir: pluginDir(cache), checkov, work };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'self-test': { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run conformance [-- --self-test] [-- --only CHECK[,CHECK...]]\n' +
        `checks: ${CHECK_IDS.join(', ')}. Writes CONFORMANCE.md; exit 1 if a check that ran failed (or, with --self-test, ` +
        'if a planted fault was missed).\n',
    );
    return 0;
  }
  const only = values.only?.split(',').map((s) => s.trim()) ?? [...CHECK_IDS];
  const unknown = only.filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0)
    throw new Error(`--only ${unknown.join(',')}: no such check; checks: ${CHECK_IDS.join(', ')}`);
  const root = PROJECT_ROOT;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-conformance-'));
  try {
    const subjects = projectSubjects(root);
    // Each environment is judged by the tools of its release (the release behind its namespace's tag): the
    // Istio checks run once per release, over that release's environments; the others once, with the first's.
    const versions = [...new Set(subjects.environments.map((e) => e.istio.version))];
    if (versions.length > 1)
      log(`environments configure Istio ${versions.join(', ')}: judging each with its own tools`);
    let started = Date.now();
    const toolsets = new Map<string, Toolbox>();
    for (const version of versions) toolsets.set(version, await installTools(cacheDir(), version, work));
    const tools = toolsets.get(versions[0])!;
    const install = (Date.now() - started) / 1000;
    started = Date.now();
    const checks = only.map((id) => {
      log(`check ${id}`);
      const perRelease = ISTIO_CHECKS.has(id as CheckId) && versions.length > 1;
      const result = perRelease
        ? mergeResults(
            versions.map((version) => ({
              version,
              result: CHECKS[id as CheckId](
                { ...subjects, environments: subjects.environments.filter((e) => e.istio.version === version) },
                toolsets.get(version)!,
              ),
            })),
          )
        : CHECKS[id as CheckId](subjects, tools);
      log(`check ${id}: ${result.status}: ${result.figure}`);
      for (const f of result.failures.slice(0, 20)) log(`  - ${f}`);
      if (result.failures.length > 20) log(`  … ${result.failures.length - 20} more in CONFORMANCE.md`);
      return result;
    });
    const checksSeconds = (Date.now() - started) / 1000;
    started = Date.now();
    const planted = values['self-test'] ? selfTest(subjects, tools) : undefined;
    const selfTestSeconds = planted ? (Date.now() - started) / 1000 : undefined;
    const tooled = [
      ...[...toolsets.values()].flatMap((t) => [t.istioctl, t.charts]),
      tools.helm,
      tools.tofu,
      ...tools.providers,
      tools.checkov,
    ];
    const report = formatReport({
      tools: tooled,
      checks,
      selfTest: planted,
      seconds: { install, checks: checksSeconds, selfTest: selfTestSeconds },
    });
    // The same on every machine: paths relative to the project, the cache and the scratch folder by name.
    const modcache = run('go', ['env', 'GOMODCACHE']).stdout.trim();
    const portable = report
      .split(`${root}/`)
      .join('')
      .split(cacheDir())
      .join('$HELLO_ISTIO_CACHE')
      .split(work)
      .join('<scratch>')
      .split(modcache || '\0')
      .join('$GOMODCACHE');
    fs.writeFileSync(path.join(root, 'CONFORMANCE.md'), portable);
    for (const t of tooled.filter((t) => !t.path))
      log(`TOOL MISSING: ${t.name} ${t.wanted} could not be had (CONFORMANCE.md lists every attempt)`);
    for (const t of tooled.filter((t) => t.standIn))
      log(`STAND-IN: ${t.name} ${t.wanted} -> ${t.version}: ${t.standIn}`);
    for (const c of checks.filter((c) => c.status === 'not run'))
      log(`NOT RUN (in whole or part): ${c.id}: ${c.figure}`);
    const failed = checks.filter((c) => c.status === 'failed');
    const missed = (planted ?? []).filter((p) => p.outcome === 'missed');
    for (const p of missed) log(`SELF-TEST: planted fault not caught: ${p.fault} (${p.check}): ${p.evidence}`);
    log(`wrote CONFORMANCE.md: ${checks.map((c) => `${c.id} ${c.status}`).join(', ')}`);
    return failed.length > 0 || missed.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The checks that judge with Istio's own tools, and so run once per release. */
const ISTIO_CHECKS: ReadonlySet<CheckId> = new Set(['validation', 'injection', 'analysis']);

/** One check's results of several releases as one: failed if any failed, not run if any did not run. */
function mergeResults(results: readonly { version: string; result: CheckResult }[]): CheckResult {
  const [first] = results;
  const statuses = results.map((r) => r.result.status);
  const status = statuses.includes('failed') ? 'failed' : statuses.includes('not run') ? 'not run' : 'passed';
  return {
    id: first.result.id,
    title: first.result.title,
    status,
    figure: results.map((r) => `Istio ${r.version}: ${r.result.figure}`).join('; '),
    failures: results.flatMap((r) => r.result.failures.map((f) => `Istio ${r.version}: ${f}`)),
    notes: [...new Set(results.flatMap((r) => r.result.notes))],
    details:
      results
        .filter((r) => r.result.details)
        .map((r) => `Istio ${r.version}:\n\n${r.result.details}`)
        .join('\n\n') || undefined,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `conformance: error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
