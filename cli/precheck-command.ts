// `npm run precheck [-- --env NAME] [--dist DIR]`: offline checks of the Istio releases each environment runs, from its
// configuration and its synthesized dist/ (review/precheck.ts). Exit 0: clean; 1: findings; 2: it cannot tell (no
// dist/ output, CRDs outside dist/) or a bad command line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments } from '../config';
import { precheck } from '../review/precheck';
import { defineCommand, UsageError } from './command';
import { THIS_PROJECT, type Project } from './project';

const HELP = `usage: npm run precheck [-- --env NAME] [--dist DIR]   (or: node cli/run.mjs precheck ...)

Checks offline, as istioctl x precheck and Istio's upgrade notes would, the Istio releases each environment runs:
  - the Kubernetes versions of the cluster's GKE release channel against each release's supported range;
  - the Gateway API CRD version each release requires;
  - fields, variables and annotations added, removed or changed between the releases in use;
  - sidecars injected by another release than the control plane their namespace points at (what IST0105 finds);
  - namespaces and gateways on a tag that points at no revision.
It reads config/environments.ts and dist/ (run npm run synth first).

  --env NAME   check that environment only (default: every environment)
  --dist DIR   the synthesized output to read (default: dist/)
  -h, --help   show this help

Exit status: 0 clean, 1 findings, 2 it cannot tell (or a bad command line).
`;

/** `npm run precheck` on `project`: cli/precheck.ts runs it on this checkout, tests in process on copies. */
export const precheckCommand = (project: Project = THIS_PROJECT) =>
  defineCommand({
    help: HELP,
    options: { env: { type: 'string' }, dist: { type: 'string' } },
    errorExitCode: 2,
    root: project.root,
    run: (options, _positionals, io) => {
      const dist = path.resolve(options.dist ?? path.join(project.root, 'dist'));
      if (!fs.existsSync(dist)) throw new UsageError(`--dist ${options.dist ?? 'dist'}: no such folder`);
      const all = loadEnvironments(project.environments);
      const environments = options.env === undefined ? all : all.filter((e) => e.name === options.env);
      if (environments.length === 0) {
        throw new UsageError(
          `--env ${options.env}: no such environment; configured: ${all.map((e) => e.name).join(', ')}`,
        );
      }
      const report = precheck(environments, dist);
      for (const line of report.checked) io.stdout(`checked ${line}\n`);
      for (const f of report.findings) io.stdout(`finding [${f.check}] ${f.environment}: ${f.message}\n`);
      for (const f of report.unknown) io.stdout(`cannot tell [${f.check}] ${f.environment}: ${f.message}\n`);
      const verdict =
        report.findings.length > 0
          ? `${report.findings.length} finding(s)`
          : report.unknown.length > 0
            ? 'cannot tell'
            : 'clean';
      io.stdout(`precheck: ${verdict}\n`);
      return report.findings.length > 0 ? 1 : report.unknown.length > 0 ? 2 : 0;
    },
  });

/** `npm run precheck`, as cli/precheck.ts runs it. */
export const PRECHECK_COMMAND = precheckCommand();
