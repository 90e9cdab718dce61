import { z } from 'zod';
import { ENVIRONMENTS, PLACEHOLDER_PROJECT_ID } from './environments';
import { environmentSchema, type Environment, type EnvironmentInput } from './schema';

// A process parses its environments once or a few times: zod's JIT, which compiles a parser for every object schema
// with `new Function` (never in V8's code cache), costs a synth more than it saves (about 6 ms against 12).
z.config({ jitless: true });

/**
 * The environment variable that gives one environment its project id when deploying or destroying:
 * `HELLO_ISTIO_PROJECT_ID_<NAME>`, the name in capitals with `-` as `_` (HELLO_ISTIO_PROJECT_ID_DEFAULT).
 * `npm run synth` never reads it, so dist/ is the same on every machine.
 */
export function projectIdVariable(environmentName: string): string {
  return `HELLO_ISTIO_PROJECT_ID_${environmentName.toUpperCase().replace(/-/g, '_')}`;
}

/** A configuration value that is not allowed. The message names the field, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * The environments with each one's project id from its own variable (projectIdVariable), where that is set.
 * For deploying and destroying only.
 */
export function withProjectIds(inputs: readonly EnvironmentInput[], variables: NodeJS.ProcessEnv): EnvironmentInput[] {
  return inputs.map((input) => {
    const projectId = input.name === undefined ? undefined : variables[projectIdVariable(input.name)];
    return projectId === undefined ? input : { ...input, projectId };
  });
}

/**
 * Validates environments and fills in their defaults.
 *
 * @param inputs the environments to load; defaults to those in environments.ts
 * @param variables where per-environment project ids (projectIdVariable) are read from; none by default, which is
 *   what `npm run synth` uses, so that dist/ always holds the configured ids
 * @throws ConfigError listing every bad value
 */
export function loadEnvironments(
  inputs: readonly EnvironmentInput[] = ENVIRONMENTS,
  variables: NodeJS.ProcessEnv = {},
): Environment[] {
  const problems: string[] = [];
  const environments: Environment[] = [];
  withProjectIds(inputs, variables).forEach((input, index) => {
    const label = `environment "${input.name ?? `#${index}`}"`;
    const fromVariable = input.name !== undefined && variables[projectIdVariable(input.name)] !== undefined;
    const result = environmentSchema.safeParse(input, { reportInput: true });
    if (result.success) {
      environments.push(result.data);
    } else {
      problems.push(
        ...result.error.issues.map(
          (issue) =>
            `${label}: ${describeIssue(issue, input, fromVariable ? projectIdVariable(input.name!) : undefined)}`,
        ),
      );
    }
  });
  problems.push(...collisions(environments));
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return environments;
}

/** Environments that would fight over the same cloud resources. */
function collisions(environments: readonly Environment[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const clusters = new Map<string, string>();
  const projects = new Map<string, string>();
  for (const env of environments) {
    if (names.has(env.name))
      problems.push(`environment "${env.name}": name is used twice; environment names must be unique`);
    names.add(env.name);
    // Resource names (network, NAT, service account, address) derive from the cluster name, per project.
    const cluster = `${env.projectId}/${env.cluster.name}`;
    const other = clusters.get(cluster);
    if (other !== undefined) {
      problems.push(
        `environment "${env.name}": cluster.name = ${JSON.stringify(env.cluster.name)} is also environment ` +
          `"${other}"'s in project ${env.projectId}; their networks, service accounts and addresses would collide: ` +
          'give each environment a cluster name of its own',
      );
    }
    clusters.set(cluster, env.name);
    // A project has one Binary Authorization policy, which each environment's gke stack writes.
    const sharing = projects.get(env.projectId);
    if (sharing !== undefined && env.projectId !== PLACEHOLDER_PROJECT_ID) {
      problems.push(
        `environment "${env.name}": projectId = ${JSON.stringify(env.projectId)} is also environment "${sharing}"'s; ` +
          'a project has one Binary Authorization policy, which each environment manages: give each its own project',
      );
    }
    projects.set(env.projectId, env.name);
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, projectIdVariableSet: string | undefined): string {
  const field = fieldName(issue.path, input) || '(environment)';
  if (issue.code === 'unrecognized_keys') {
    return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them or check their spelling`;
  }
  const source = field === 'projectId' && projectIdVariableSet ? ` (from ${projectIdVariableSet})` : '';
  return `${field} = ${JSON.stringify(issue.input)}${source}: ${issue.message}`;
}

/**
 * A field's path as a reader finds it: `services[payments].versions[v1].image` rather than `services.0.versions.0.image`
 * where a list's item has a name (or a version).
 */
function fieldName(path: readonly PropertyKey[], input: unknown): string {
  let value = input;
  let name = '';
  for (const key of path) {
    const item = (value as Record<PropertyKey, unknown> | undefined)?.[key as never] as
      Record<string, unknown> | undefined;
    const label = typeof key === 'number' && item && typeof item === 'object' ? (item.name ?? item.version) : undefined;
    name += typeof label === 'string' ? `[${label}]` : `${name ? '.' : ''}${String(key)}`;
    value = item;
  }
  return name;
}
