import { ENVIRONMENTS, loadEnvironments, type Environment, type EnvironmentInput } from '../../config';

/** The configured environments, validated as synth validates them (without HELLO_ISTIO_PROJECT_ID). */
export function configuredEnvironments(): Environment[] {
  return loadEnvironments(ENVIRONMENTS, {});
}

/** The default environment, optionally with some fields changed. */
export function defaultEnvironment(change: (input: EnvironmentInput) => EnvironmentInput = (e) => e): Environment {
  const input = ENVIRONMENTS.find((e) => e.name === 'default');
  if (!input) throw new Error('no default environment');
  return loadEnvironments([change(structuredClone(input))], {})[0];
}
