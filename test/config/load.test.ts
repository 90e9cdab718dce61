import { ConfigError, loadEnvironments, PLACEHOLDER_PROJECT_ID, regionOf, type EnvironmentInput } from '../../config';
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
    expect(env.istio.version).toBe('1.30.3');
    expect(env.namespace).toBe('bookinfo');
    expect(env.mesh.mode).toBe('istio-helm');
  });

  test('fills in defaults', () => {
    expect(env.cluster.releaseChannel).toBe('REGULAR');
    expect(env.cluster.machineType).toBe('e2-standard-4');
  });

  test('uses the placeholder project unless HELLO_ISTIO_PROJECT_ID is set', () => {
    expect(env.projectId).toBe(PLACEHOLDER_PROJECT_ID);
    const [fromVariable] = loadEnvironments([base], { HELLO_ISTIO_PROJECT_ID: 'my-real-project' });
    expect(fromVariable.projectId).toBe('my-real-project');
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
      /istio\.version = "1\.2\.2": must be an Istio version this project supports: 1\.30\.3/,
    ],
    [
      'unknown mesh mode',
      (e) => (e.mesh = { mode: 'linkerd' as never }),
      /mesh\.mode = "linkerd": must be one of istio-helm, gke-istio-addon, cloud-service-mesh/,
    ],
    ['namespace that is not a DNS label', (e) => (e.namespace = 'Book_Info'), /namespace = "Book_Info": must be a DNS label/],
    ['unknown release channel', (e) => (e.cluster.releaseChannel = 'BETA' as never), /cluster\.releaseChannel = "BETA"/],
    ['misspelt field', (e) => Object.assign(e.cluster, { nodeCuont: 3 }), /cluster: unknown field\(s\) "nodeCuont"/],
  ])('%s', (_name, change, message) => {
    const run = load(change);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    expect(run).toThrow(/environment "default"/);
  });

  test('a malformed project id says it came from HELLO_ISTIO_PROJECT_ID', () => {
    expect(load(() => undefined, { HELLO_ISTIO_PROJECT_ID: 'My Project' })).toThrow(
      /projectId = "My Project" \(from HELLO_ISTIO_PROJECT_ID\): must be a GCP project id/,
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
    expect(env.injection).toEqual({ mode: 'manual', nativeSidecars: true, cni: true, proxyImage: 'docker.io/istio/proxyv2:1.30.3' });
    expect(env.ingressGateway).toMatchObject({ name: 'istio-ingressgateway', namespace: 'istio-system' });
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
    expect(() => withMode('istio-helm', { mode: 'sometimes' })).toThrow(/injection\.mode = "sometimes": must be one of manual, auto, off/);
  });
});
