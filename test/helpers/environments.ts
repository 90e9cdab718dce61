import { ENVIRONMENTS, loadEnvironments, type Environment, type EnvironmentInput } from '../../config';

/** The configured environments, validated as synth validates them (no per-environment project ids). */
export function configuredEnvironments(): Environment[] {
  return loadEnvironments(ENVIRONMENTS, {});
}

/** The default environment, optionally with some fields changed. */
export function defaultEnvironment(change: (input: EnvironmentInput) => EnvironmentInput = (e) => e): Environment {
  const input = ENVIRONMENTS.find((e) => e.name === 'default');
  if (!input) throw new Error('no default environment');
  return loadEnvironments([change(structuredClone(input))], {})[0];
}

/**
 * An environment of the test's own, independent of config/environments.ts: the tutorial's cluster with Istio from
 * its Helm charts, changed as the test needs.
 */
export function testEnvironmentInput(change: (input: EnvironmentInput) => void = () => undefined): EnvironmentInput {
  const input: EnvironmentInput = {
    name: 'test',
    projectId: 'test-project-123',
    cluster: { name: 'test-cluster', location: 'us-central1-f', nodeCount: 3 },
    istio: { version: '1.30.5' },
    mesh: { mode: 'istio-helm' },
    namespace: 'bookinfo',
  };
  change(input);
  return input;
}

/** testEnvironmentInput, loaded. */
export function testEnvironment(change?: (input: EnvironmentInput) => void): Environment {
  return loadEnvironments([testEnvironmentInput(change)])[0];
}
