import {
  ENVIRONMENTS,
  loadEnvironments,
  PLACEHOLDER_PROJECT_ID,
  type Environment,
  type EnvironmentInput,
} from '../../config';

/**
 * The environments the tests own. They are shaped like the committed ones but are not read from
 * config/environments.ts, so that a user can change that file (another preset, another environment) and every test
 * but the drift check stays green.
 */
const TEST_DEFAULT: EnvironmentInput = {
  name: 'default',
  projectId: PLACEHOLDER_PROJECT_ID,
  cluster: { name: 'hello-istio', location: 'us-central1-f', nodeCount: 4 },
  istio: { version: '1.30.5' },
  mesh: { mode: 'istio-helm' },
  namespace: 'bookinfo',
};

/** The tests' environment inputs: a default one, and the tutorial's (its cluster with the GKE Istio add-on). */
export const TEST_ENVIRONMENTS: readonly EnvironmentInput[] = [
  TEST_DEFAULT,
  {
    ...TEST_DEFAULT,
    name: 'tutorial',
    cluster: { ...TEST_DEFAULT.cluster, name: 'hello-istio-tutorial' },
    mesh: { mode: 'gke-istio-addon' },
  },
];

/**
 * One environment, the default: for tests that run commands in a copy of the project and need any environment (a
 * synth of it takes about two thirds of the time of TEST_ENVIRONMENTS', which loads google-beta for the tutorial's).
 */
export const ONE_TEST_ENVIRONMENT: readonly EnvironmentInput[] = [TEST_DEFAULT];

/** The tests' environments, validated as synth validates them (no per-environment project ids). */
export function testEnvironments(inputs: readonly EnvironmentInput[] = TEST_ENVIRONMENTS): Environment[] {
  return loadEnvironments(inputs, {});
}

/** The tests' default environment input, a copy to change. */
export function defaultInput(): EnvironmentInput {
  return structuredClone(TEST_DEFAULT);
}

/** The tests' default environment, optionally with some fields changed. */
export function defaultEnvironment(change: (input: EnvironmentInput) => EnvironmentInput = (e) => e): Environment {
  return loadEnvironments([change(defaultInput())], {})[0];
}

/**
 * An environment of the test's own with a name and project of its own: the default's cluster with Istio from its
 * Helm charts, changed as the test needs.
 */
export function testEnvironmentInput(change: (input: EnvironmentInput) => void = () => undefined): EnvironmentInput {
  const input: EnvironmentInput = {
    ...defaultInput(),
    name: 'test',
    projectId: 'test-project-123',
    cluster: { name: 'test-cluster', location: 'us-central1-f', nodeCount: 3 },
  };
  change(input);
  return input;
}

/** testEnvironmentInput, loaded. */
export function testEnvironment(change?: (input: EnvironmentInput) => void): Environment {
  return loadEnvironments([testEnvironmentInput(change)])[0];
}

/**
 * The committed environments of config/environments.ts: only for the checks that compare with the committed dist/
 * (the drift checks), which must change when they change.
 */
export function committedEnvironments(): Environment[] {
  return loadEnvironments(ENVIRONMENTS, {});
}
