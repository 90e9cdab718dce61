import {
  ConfigError,
  DEFAULT_ISTIO_VERSION,
  SUPPORTED_ISTIO_VERSIONS,
  loadEnvironments,
  PLACEHOLDER_PROJECT_ID,
  projectIdVariable,
  regionOf,
  type EnvironmentInput,
} from '../../config';
import { defaultInput, TEST_ENVIRONMENTS } from '../helpers/environments';

const base = defaultInput();
const load = (change: (e: EnvironmentInput) => void, variables: NodeJS.ProcessEnv = {}) => {
  const input = structuredClone(base) as EnvironmentInput;
  change(input);
  return () => loadEnvironments([input], variables);
};

describe('the default environment', () => {
  const [env] = loadEnvironments(TEST_ENVIRONMENTS, {}).filter((e) => e.name === 'default');

  test('carries the tutorial values', () => {
    expect(env.cluster).toMatchObject({ name: 'hello-istio', location: 'us-central1-f', nodeCount: 4 });
    expect(env.istio.version).toBe('1.30.5');
    expect(env.istio.hub).toBe('docker.io/istio');
    expect(env.namespace).toBe('bookinfo');
    expect(env.mesh.mode).toBe('istio-helm');
  });

  test('fills in defaults', () => {
    expect(env.cluster.releaseChannel).toBe('REGULAR');
    expect(env.cluster.machineType).toBe('e2-standard-4');
  });

  test('uses the configured project unless its own HELLO_ISTIO_PROJECT_ID_<NAME> is given (deploy and destroy only)', () => {
    expect(env.projectId).toBe(PLACEHOLDER_PROJECT_ID);
    expect(projectIdVariable('default')).toBe('HELLO_ISTIO_PROJECT_ID_DEFAULT');
    expect(projectIdVariable('eu-staging')).toBe('HELLO_ISTIO_PROJECT_ID_EU_STAGING');
    const staging = { ...structuredClone(base), name: 'staging', cluster: { ...base.cluster, name: 'staging' } };
    const [prod, stage] = loadEnvironments([base, staging], { HELLO_ISTIO_PROJECT_ID_STAGING: 'my-staging-project' });
    expect(stage.projectId).toBe('my-staging-project');
    expect(prod.projectId).toBe(PLACEHOLDER_PROJECT_ID);
    // The old variable for every environment is gone: synth with it set still writes the configured ids.
    expect(loadEnvironments([base], { HELLO_ISTIO_PROJECT_ID: 'my-real-project' })[0].projectId).toBe(
      PLACEHOLDER_PROJECT_ID,
    );
    expect(loadEnvironments([base])[0].projectId).toBe(PLACEHOLDER_PROJECT_ID);
  });
});

describe('a bad value stops loading with an error naming the field, the value and what is allowed', () => {
  test.each<[string, (e: EnvironmentInput) => void, RegExp]>([
    ['empty cluster name', (e) => (e.cluster.name = ''), /cluster\.name = "": must be a DNS label/],
    ['node count 0', (e) => (e.cluster.nodeCount = 0), /cluster\.nodeCount = 0: must be from 1 to 1000/],
    ['fractional node count', (e) => (e.cluster.nodeCount = 2.5), /cluster\.nodeCount = 2\.5: must be a whole number/],
    [
      'malformed zone',
      (e) => (e.cluster.location = 'us-central1f'),
      /cluster\.location = "us-central1f": must be a GCP zone such as us-central1-f or a region such as us-central1/,
    ],
    [
      'unknown Istio version',
      (e) => (e.istio.version = '1.2.2' as never),
      /istio\.version = "1\.2\.2": must be a released patch of a supported minor \(Istio 1\.2 is not supported: the supported minors are 1\.29, 1\.30, 1\.31\): 1\.29\.0, .*1\.31\.1/,
    ],
    [
      'unreleased patch of a supported minor',
      (e) => (e.istio.version = '1.30.9'),
      /istio\.version = "1\.30\.9": must be a released patch of a supported minor \(1\.30\.9 is not a released patch of 1\.30\)/,
    ],
    [
      'Google-hosted hub',
      (e) => (e.istio.hub = 'gcr.io/istio-release'),
      /istio\.hub = "gcr\.io\/istio-release": is on gcr\.io\/istio-release, which Istio takes offline from 2026-12-08 15:00 UTC; use docker\.io\/istio/,
    ],
    [
      'hub with a scheme',
      (e) => (e.istio.hub = 'https://docker.io/istio'),
      /istio\.hub = "https:\/\/docker\.io\/istio": must be an image repository path such as docker\.io\/istio/,
    ],
    [
      'Google-hosted chart repository',
      (e) => (e.istio.chartRepository = 'https://istio-release.storage.googleapis.com/charts' as never),
      /istio\.chartRepository = "https:\/\/istio-release\.storage\.googleapis\.com\/charts": must be one of Istio's chart repositories: https:\/\/blob\.istio\.io\/istio-release\/charts, oci:\/\/ghcr\.io\/istio\/release\/charts \(the Google-hosted one goes offline/,
    ],
    [
      'Bookinfo from a Google-hosted registry',
      (e) => (e.bookinfo = { registry: 'registry.istio.io/release' }),
      /bookinfo\.registry = "registry\.istio\.io\/release": is on registry\.istio\.io, which Istio takes offline/,
    ],
    [
      'gateway namespace with the GKE add-on',
      (e) => (e.mesh = { mode: 'gke-istio-addon', gatewayNamespace: 'gateways' }),
      /mesh\.gatewayNamespace = "gateways": must be left out with mesh\.mode gke-istio-addon, whose ingress gateway lives in istio-system/,
    ],
    [
      'maintenance window too short',
      (e) => (e.cluster.maintenanceWindow = { days: ['SU'], durationHours: 4 }),
      /cluster\.maintenanceWindow\.durationHours = 4: gives 16 hours in 32 days with \["SU"\]; GKE needs at least 48/,
    ],
    [
      'unknown mesh mode',
      (e) => (e.mesh = { mode: 'linkerd' as never }),
      /mesh\.mode = "linkerd": must be one of istio-helm, gke-istio-addon, cloud-service-mesh/,
    ],
    [
      'namespace that is not a DNS label',
      (e) => (e.namespace = 'Book_Info'),
      /namespace = "Book_Info": must be a DNS label/,
    ],
    [
      'unknown release channel',
      (e) => (e.cluster.releaseChannel = 'BETA' as never),
      /cluster\.releaseChannel = "BETA"/,
    ],
    ['misspelt field', (e) => Object.assign(e.cluster, { nodeCuont: 3 }), /cluster: unknown field\(s\) "nodeCuont"/],
  ])('%s', (_name, change, message) => {
    const run = load(change);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    expect(run).toThrow(/environment "default"/);
  });

  test('every released patch of 1.29, 1.30 and 1.31 is accepted, and the default is the newest of 1.30', () => {
    for (const version of SUPPORTED_ISTIO_VERSIONS)
      expect(load((e) => (e.istio.version = version))()[0].istio.version).toBe(version);
    expect(new Set(SUPPORTED_ISTIO_VERSIONS.map((v) => v.split('.').slice(0, 2).join('.')))).toEqual(
      new Set(['1.29', '1.30', '1.31']),
    );
    expect(SUPPORTED_ISTIO_VERSIONS).toContain('1.29.6');
    expect(load((e) => delete (e.istio as { version?: string }).version)()[0].istio.version).toBe(
      DEFAULT_ISTIO_VERSION,
    );
    expect(DEFAULT_ISTIO_VERSION).toBe(SUPPORTED_ISTIO_VERSIONS.filter((v) => v.startsWith('1.30.')).at(-1));
  });

  test('a malformed project id says which variable it came from', () => {
    expect(load(() => undefined, { HELLO_ISTIO_PROJECT_ID_DEFAULT: 'My Project' })).toThrow(
      /projectId = "My Project" \(from HELLO_ISTIO_PROJECT_ID_DEFAULT\): must be a GCP project id/,
    );
  });

  test('two environments with one cluster name in one project would collide, and are refused', () => {
    const twin = { ...structuredClone(base), name: 'twin' };
    expect(() => loadEnvironments([base, twin])).toThrow(
      /environment "twin": cluster\.name = "hello-istio" is also environment "default"'s in project your-gcp-project-id/,
    );
    const renamed = { ...twin, cluster: { ...twin.cluster, name: 'hello-istio-twin' } };
    expect(() => loadEnvironments([base, renamed])).not.toThrow();
  });

  test('two environments in one real project are refused: a project has one Binary Authorization policy', () => {
    const other = { ...structuredClone(base), name: 'other', cluster: { ...base.cluster, name: 'other' } };
    expect(() =>
      loadEnvironments([base, other], {
        HELLO_ISTIO_PROJECT_ID_DEFAULT: 'my-project',
        HELLO_ISTIO_PROJECT_ID_OTHER: 'my-project',
      }),
    ).toThrow(
      /environment "other": projectId = "my-project" is also environment "default"'s; a project has one Binary Authorization policy/,
    );
  });

  test('every problem is listed, not only the first', () => {
    const run = load((e) => {
      e.cluster.nodeCount = 0;
      e.namespace = '';
    });
    expect(run).toThrow(/nodeCount[\s\S]*namespace|namespace[\s\S]*nodeCount/);
  });

  test('two environments with one name', () => {
    expect(() => loadEnvironments([base, base], {})).toThrow(/"default": name is used twice/);
  });
});

test('regionOf', () => {
  expect(regionOf('us-central1-f')).toBe('us-central1');
  expect(regionOf('europe-west4')).toBe('europe-west4');
});

describe('values that follow from the mesh mode', () => {
  const withMode = (mode: 'istio-helm' | 'gke-istio-addon' | 'cloud-service-mesh', injection = {}) =>
    loadEnvironments([{ ...base, mesh: { mode }, injection }], {})[0];

  test('istio-helm injects at synth time with the release proxy image, its CNI agent redirecting traffic', () => {
    const env = withMode('istio-helm');
    expect(env.injection).toEqual({
      mode: 'manual',
      nativeSidecars: true,
      cni: true,
      proxyImage: 'docker.io/istio/proxyv2:1.30.5',
    });
    expect(env.ingressGateway).toMatchObject({ name: 'istio-ingressgateway', namespace: 'istio-ingress' });
    expect(env.ingressGateway.ports).toContainEqual({ name: 'http2', port: 80, targetPort: 80 });
  });

  test('the GKE add-on and Cloud Service Mesh inject from the cluster', () => {
    expect(withMode('gke-istio-addon').injection.mode).toBe('auto');
    expect(withMode('cloud-service-mesh').injection.mode).toBe('auto');
  });

  test('an explicit injection mode wins', () => {
    expect(withMode('gke-istio-addon', { mode: 'manual' }).injection.mode).toBe('manual');
  });

  test('a bad injection mode is named', () => {
    expect(() => withMode('istio-helm', { mode: 'sometimes' })).toThrow(
      /injection\.mode = "sometimes": must be one of manual, auto, off/,
    );
  });
});
