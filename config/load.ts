import type { z } from 'zod';
import { ENVIRONMENTS } from './environments';
import { environmentSchema, type Environment, type EnvironmentInput } from './schema';

/** Environment variable that sets the GCP project id of every environment. */
export const PROJECT_ID_VARIABLE = 'HELLO_ISTIO_PROJECT_ID';

/** A configuration value that is not allowed. The message names the field, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates environments and fills in their defaults.
 *
 * @param inputs the environments to load; defaults to those in environments.ts
 * @param variables where HELLO_ISTIO_PROJECT_ID is read from; defaults to process.env
 * @throws ConfigError listing every bad value
 */
export function loadEnvironments(
  inputs: readonly EnvironmentInput[] = ENVIRONMENTS,
  variables: NodeJS.ProcessEnv = process.env,
): Environment[] {
  const projectId = variables[PROJECT_ID_VARIABLE];
  const problems: string[] = [];
  const environments: Environment[] = [];
  inputs.forEach((input, index) => {
    const label = `environment "${input.name ?? `#${index}`}"`;
    const withProject = projectId === undefined ? input : { ...input, projectId };
    const result = environmentSchema.safeParse(withProject, { reportInput: true });
    if (result.success) {
      environments.push(result.data);
    } else {
      problems.push(...result.error.issues.map((issue) => `${label}: ${describeIssue(issue, withProject, projectId)}`));
    }
  });
  const seen = new Set<string>();
  for (const env of environments) {
    if (seen.has(env.name)) problems.push(`environment "${env.name}": name is used twice; environment names must be unique`);
    seen.add(env.name);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return environments;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, projectIdFromVariable: string | undefined): string {
  const field = fieldName(issue.path, input) || '(environment)';
  if (issue.code === 'unrecognized_keys') {
    return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them or check their spelling`;
  }
  const source = field === 'projectId' && projectIdFromVariable !== undefined ? ` (from ${PROJECT_ID_VARIABLE})` : '';
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
    const item = (value as Record<PropertyKey, unknown> | undefined)?.[key as never] as Record<string, unknown> | undefined;
    const label = typeof key === 'number' && item && typeof item === 'object' ? (item.name ?? item.version) : undefined;
    name += typeof label === 'string' ? `[${label}]` : `${name ? '.' : ''}${String(key)}`;
    value = item;
  }
  return name;
}
