import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  ConfigError,
  ENVIRONMENTS,
  loadEnvironments,
  PLACEHOLDER_PROJECT_ID,
  projectIdVariable,
  type Environment,
  type EnvironmentInput,
} from '../config';
import { stackIds, synthesizeTerraform } from '../cdktf/terraform-app';
import { replaceDirectory } from '../pipeline/publish';
import { defineCommand } from './command';
import { THIS_PROJECT, type Project } from './project';

/**
 * Where deploy and destroy synthesize the Terraform they run, relative to the project root: outside dist/ (which
 * keeps the placeholder ids reviewers diff) and git-ignored. As deep as dist/cdktf, so that the stacks' relative
 * local state paths lead to the same terraform.tfstate.d/.
 */
export const DEPLOY_OUTDIR = path.join('.deploy', 'cdktf');

/** One run of the cdktf CLI, in the project root. */
export interface CdktfRun {
  readonly args: string[];
  /** What the run does, printed before it. */
  readonly what: string;
}

/** What a deploy or destroy will do: the environments it synthesizes and the cdktf runs, in order. */
export interface DeploymentPlan {
  readonly environments: Environment[];
  readonly runs: CdktfRun[];
}

/** Arguments of `npm run deploy` / `npm run destroy`: targets, and flags passed on to cdktf (`--auto-approve`). */
function splitArgs(args: readonly string[]): { targets: string[]; flags: string[] } {
  return { targets: args.filter((a) => !a.startsWith('-')), flags: args.filter((a) => a.startsWith('-')) };
}

/** Loads the environments with their real project ids and refuses any still on the placeholder. */
function loadForCloud(
  names: readonly string[],
  inputs: readonly EnvironmentInput[],
  variables: NodeJS.ProcessEnv,
): Environment[] {
  const chosen = inputs.filter((e) => e.name !== undefined && names.includes(e.name));
  const environments = loadEnvironments(chosen, variables);
  const placeholders = environments.filter((e) => e.projectId === PLACEHOLDER_PROJECT_ID);
  if (placeholders.length > 0) {
    throw new ConfigError(
      placeholders
        .map(
          (e) =>
            `environment "${e.name}": projectId is the placeholder ${PLACEHOLDER_PROJECT_ID}; set ${projectIdVariable(e.name)} to the project to deploy into`,
        )
        .join('\n'),
    );
  }
  return environments;
}

function usage(command: string, inputs: readonly EnvironmentInput[]): ConfigError {
  const names = inputs.map((e) => e.name);
  return new ConfigError(
    `usage: npm run ${command} -- <environment|stack>... [--auto-approve]; environments: ${names.join(', ')}; ` +
      `stacks: ${names.flatMap((n) => [`${n}-gke`, `${n}-mesh`]).join(', ')} (an add-on environment has no mesh stack)`,
  );
}

/**
 * `npm run deploy -- <environment|stack>...`: the stacks named (an environment names all of its own), in deploy
 * order (the cluster, then its mesh), in one `cdktf deploy`.
 */
export function deployPlan(
  args: readonly string[],
  inputs: readonly EnvironmentInput[] = ENVIRONMENTS,
  variables: NodeJS.ProcessEnv = process.env,
): DeploymentPlan {
  const { targets, flags } = splitArgs(args);
  if (targets.length === 0) throw usage('deploy', inputs);
  // Stack ids of every configured environment, to resolve targets before loading.
  const known = loadEnvironments(inputs);
  const stacks = new Set<string>();
  const names = new Set<string>();
  for (const target of targets) {
    const env = known.find((e) => e.name === target || Object.values(stackIds(e)).includes(target));
    if (!env) throw new ConfigError(`unknown environment or stack "${target}"\n${usage('deploy', inputs).message}`);
    names.add(env.name);
    const ids = Object.values(stackIds(env));
    for (const id of env.name === target ? ids : [target]) stacks.add(id);
  }
  const environments = loadForCloud([...names], inputs, variables);
  const ordered = environments.flatMap((e) => Object.values(stackIds(e))).filter((id) => stacks.has(id));
  return {
    environments,
    runs: [{ what: `deploy ${ordered.join(', ')}`, args: ['deploy', ...ordered, ...cdktfOutput(), ...flags] }],
  };
}

/**
 * `npm run destroy -- <environment>...`: for each environment, the mesh stack first (uninstalling the gateway,
 * whose LoadBalancer Service Helm waits on until GKE has deleted the forwarding rule, target pool, health checks
 * and firewall rules it made), then the gke stack (the cluster, then the address and the network, which those load
 * balancer objects would otherwise still hold). Terraform deletes a cluster only if its state says
 * `deletion_protection = false`, so that must be the config and is deployed to the gke stack before it is destroyed.
 */
export function destroyPlan(
  args: readonly string[],
  inputs: readonly EnvironmentInput[] = ENVIRONMENTS,
  variables: NodeJS.ProcessEnv = process.env,
): DeploymentPlan {
  const { targets, flags } = splitArgs(args);
  if (targets.length === 0) throw usage('destroy', inputs);
  for (const target of targets) {
    if (!inputs.some((e) => e.name === target)) {
      throw new ConfigError(
        `npm run destroy takes environment names (it destroys each whole, mesh first); got "${target}"\n${usage('destroy', inputs).message}`,
      );
    }
  }
  const environments = loadForCloud(targets, inputs, variables);
  const protectedOnes = environments.filter((e) => e.cluster.deletionProtection);
  if (protectedOnes.length > 0) {
    throw new ConfigError(
      protectedOnes
        .map(
          (e) =>
            `environment "${e.name}": cluster.deletionProtection = true: set it to false in config/environments.ts to destroy the cluster`,
        )
        .join('\n'),
    );
  }
  const runs = environments.flatMap((env): CdktfRun[] => {
    const ids = stackIds(env);
    return [
      ...(ids.mesh
        ? [
            {
              what: `destroy ${ids.mesh} (the control plane and the gateway's load balancer)`,
              args: ['destroy', ids.mesh, ...cdktfOutput(), ...flags],
            },
          ]
        : []),
      {
        what: `deploy ${ids.gke} (deletion_protection = false into its state)`,
        args: ['deploy', ids.gke, ...cdktfOutput(), ...flags],
      },
      {
        what: `destroy ${ids.gke} (the cluster, then its address and network)`,
        args: ['destroy', ids.gke, ...cdktfOutput(), ...flags],
      },
    ];
  });
  return { environments, runs };
}

/** cdktf runs on the Terraform synthesized into DEPLOY_OUTDIR rather than synthesizing into dist/. */
function cdktfOutput(): string[] {
  return ['--skip-synth', '--output', DEPLOY_OUTDIR];
}

/**
 * Synthesizes the plan's environments into `<root>/DEPLOY_OUTDIR` (replacing what was there, only if synthesis
 * succeeds), then runs each cdktf command from `root` with the `cdktf` found on PATH, stopping at the first that
 * fails. Returns the exit code.
 */
export function runDeployment(plan: DeploymentPlan, root: string, log: (line: string) => void): number {
  const outdir = path.join(root, DEPLOY_OUTDIR);
  const { warnings } = replaceDirectory(outdir, (staging) => synthesizeTerraform(plan.environments, staging));
  for (const [env, list] of warnings) for (const warning of list) log(`warning: ${env}: ${warning}`);
  log(
    `synthesized ${plan.environments.map((e) => `${e.name} (project ${e.projectId})`).join(', ')} into ${DEPLOY_OUTDIR}`,
  );
  for (const run of plan.runs) {
    log(`cdktf ${run.args.join(' ')}: ${run.what}`);
    const result = spawnSync('cdktf', run.args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    if (result.error)
      throw new Error(`could not run cdktf (${result.error.message}); run through npm, which puts it on PATH`);
    if (result.status !== 0) {
      log(
        `cdktf ${run.args[0]} failed (exit ${result.status}); stopped before: ${
          plan.runs
            .slice(plan.runs.indexOf(run) + 1)
            .map((r) => r.what)
            .join('; ') || 'nothing'
        }`,
      );
      return result.status ?? 1;
    }
  }
  return 0;
}

/**
 * `npm run deploy` or `npm run destroy` on `project`: the targets as arguments, `--auto-approve` passed on to cdktf,
 * and the plan `plan` makes of them for the project's environments, run from its root.
 */
function deploymentCommand(
  help: string,
  plan: (args: readonly string[], inputs: readonly EnvironmentInput[]) => DeploymentPlan,
  project: Project,
) {
  return defineCommand({
    help,
    options: { 'auto-approve': { type: 'boolean' } },
    positionals: true,
    root: project.root,
    run: (values, targets, io) =>
      runDeployment(
        plan([...targets, ...(values['auto-approve'] ? ['--auto-approve'] : [])], project.environments),
        project.root,
        (line) => io.stderr(`${line}\n`),
      ),
  });
}

/** `npm run deploy` on `project` (this checkout by default, as cli/deploy.ts runs it). */
export const deployCommand = (project: Project = THIS_PROJECT) =>
  deploymentCommand(
    `usage: npm run deploy -- <environment|stack>... [--auto-approve]

Synthesizes the chosen environments with their real project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into
.deploy/cdktf, outside dist/, and runs cdktf deploy there.

  --auto-approve   pass --auto-approve to cdktf
  -h, --help       show this help
`,
    deployPlan,
    project,
  );

/** `npm run destroy` on `project` (this checkout by default, as cli/destroy.ts runs it). */
export const destroyCommand = (project: Project = THIS_PROJECT) =>
  deploymentCommand(
    `usage: npm run destroy -- <environment>... [--auto-approve]

Tears environments down: the mesh stack first, then the cluster's (cluster.deletionProtection must be false).

  --auto-approve   pass --auto-approve to cdktf
  -h, --help       show this help
`,
    destroyPlan,
    project,
  );

/** `npm run deploy`, as cli/deploy.ts runs it. */
export const DEPLOY_COMMAND = deployCommand();

/** `npm run destroy`, as cli/destroy.ts runs it. */
export const DESTROY_COMMAND = destroyCommand();
