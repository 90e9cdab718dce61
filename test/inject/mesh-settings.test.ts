import { parse } from 'yaml';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { loadEnvironments, type Environment, type EnvironmentInput } from '../../config';
import type { KubeObject } from '../../kube/object';
import { SidecarInjector } from '../../inject/sidecar-injector';
import { synthesizeStacks } from '../helpers/terraform';
import { containerNamed, envOf, podOf, proxyOf } from './helpers';

// The environments here are the test's own: what matters is that one setting reaches both the istiod release and
// the sidecars synthesized for it, whatever the committed config says.
const BASE: EnvironmentInput = {
  name: 'meshtest',
  projectId: 'my-project-123',
  cluster: { name: 'mesh-test', location: 'us-central1-f', nodeCount: 2 },
  istio: { version: '1.30.3' },
  mesh: { mode: 'istio-helm' },
  namespace: 'shop',
};

const environment = (mesh: Partial<NonNullable<EnvironmentInput['mesh']>> = {}, more: Partial<EnvironmentInput> = {}) =>
  loadEnvironments([{ ...BASE, ...more, mesh: { mode: 'istio-helm', ...mesh } }], {})[0];

/** The istiod release's values, as the mesh stack writes them into dist/. */
function istiodValues(env: Environment): Record<string, any> {
  const stack = synthesizeStacks([env]).json(`${env.name}-mesh`);
  const release = Object.values(stack.resource.helm_release).find((r: any) => r.name.startsWith('istiod')) as any;
  return parse(release.values[0]);
}

/** The first injected pod the synth writes (a Bookinfo Deployment). */
function injectedPod(env: Environment) {
  const manifests = synthesizeKubernetes(env).flatMap((chart) => chart.manifests) as KubeObject[];
  const workload = manifests.find((m) => m.kind === 'Deployment');
  if (!workload) throw new Error('no Deployment');
  return podOf(workload);
}

const plain = environment();
const plainValues = istiodValues(plain);
const plainPod = injectedPod(plain);
const proxyEnv = (pod: ReturnType<typeof podOf>, name: string) => envOf(proxyOf(pod.spec), name)?.value;

describe('without mesh settings', () => {
  test('istiod gets no mesh-setting values: only the hub and tag, the platform, CNI and the HA settings', () => {
    expect(plainValues.meshConfig).toBeUndefined();
    expect(plainValues.global).toMatchObject({ hub: 'docker.io/istio', tag: '1.30.3', platform: 'gke' });
    for (const key of ['proxy', 'proxy_init', 'meshID', 'network', 'multiCluster']) {
      expect(plainValues.global[key]).toBeUndefined();
    }
    expect(plainValues.pilot.cni).toEqual({ enabled: true });
  });

  test("the sidecar has Istio's defaults", () => {
    expect(proxyOf(plainPod.spec).resources).toEqual({
      limits: { cpu: '2', memory: '1Gi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(proxyEnv(plainPod, 'PROXY_CONFIG')).toBe('{}\n');
    expect(proxyEnv(plainPod, 'TRUST_DOMAIN')).toBe('cluster.local');
  });
});

describe('each mesh setting changes the istiod values and the injected sidecar consistently', () => {
  test('proxyResources: global.proxy.resources, and the sidecar containers', () => {
    const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    const env = environment({ proxyResources: resources });
    expect(istiodValues(env).global.proxy.resources).toEqual(resources);
    const pod = injectedPod(env);
    for (const name of ['istio-proxy', 'istio-validation']) {
      expect(containerNamed(pod.spec.initContainers, name).resources).toEqual(resources);
    }
  });

  test('holdApplicationUntilProxyStarts: the mesh default config, and PROXY_CONFIG (a classic sidecar goes first)', () => {
    const env = environment({ holdApplicationUntilProxyStarts: true }, { injection: { nativeSidecars: false } });
    expect(istiodValues(env).meshConfig).toEqual({ defaultConfig: { holdApplicationUntilProxyStarts: true } });
    const pod = injectedPod(env);
    expect(proxyEnv(pod, 'PROXY_CONFIG')).toBe('{"holdApplicationUntilProxyStarts":true}\n');
    expect(pod.spec.containers[0].name).toBe('istio-proxy');
    expect(pod.spec.containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['pilot-agent', 'wait'] } } });
  });

  test('trustDomain: meshConfig.trustDomain, and the proxy trust domain and mesh id', () => {
    const env = environment({ trustDomain: 'shop.example.com' });
    expect(istiodValues(env).meshConfig).toEqual({ trustDomain: 'shop.example.com' });
    const pod = injectedPod(env);
    expect(proxyEnv(pod, 'TRUST_DOMAIN')).toBe('shop.example.com');
    expect(proxyEnv(pod, 'ISTIO_META_MESH_ID')).toBe('shop.example.com');
  });

  test('meshId: global.meshID, and the mesh id and PROXY_CONFIG of the proxy', () => {
    const env = environment({ meshId: 'mesh1' });
    expect(istiodValues(env).global.meshID).toBe('mesh1');
    const pod = injectedPod(env);
    expect(proxyEnv(pod, 'ISTIO_META_MESH_ID')).toBe('mesh1');
    expect(proxyEnv(pod, 'PROXY_CONFIG')).toBe('{"meshId":"mesh1"}\n');
  });

  test('network: global.network, and the proxy network and the pod network label', () => {
    const env = environment({ network: 'network1' });
    expect(istiodValues(env).global.network).toBe('network1');
    const pod = injectedPod(env);
    expect(proxyEnv(pod, 'ISTIO_META_NETWORK')).toBe('network1');
    expect(pod.metadata.labels?.['topology.istio.io/network']).toBe('network1');
  });

  test('clusterName: global.multiCluster.clusterName, and the proxy cluster id', () => {
    const env = environment({ clusterName: 'cluster-east' });
    expect(istiodValues(env).global.multiCluster).toEqual({ clusterName: 'cluster-east' });
    expect(proxyEnv(injectedPod(env), 'ISTIO_META_CLUSTER_ID')).toBe('cluster-east');
  });

  // These two are pushed by istiod over xDS: Istio's template does not read them, so the sidecar in dist/ stays as
  // it is, and the injector must be handed them all the same (its mesh config is istiod's).
  test.each([
    [{ outboundTrafficPolicy: 'REGISTRY_ONLY' as const }, { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }],
    [{ accessLogging: { encoding: 'JSON' as const } }, { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON' }],
  ])('%j: meshConfig, and the injector sees the same mesh config; the pod is unchanged', (mesh, meshConfig) => {
    const env = environment(mesh);
    expect(istiodValues(env).meshConfig).toEqual(meshConfig);
    const injector = new SidecarInjector({ values: istiodValues(env) });
    expect(injector.settings.meshConfig).toMatchObject(meshConfig);
    const pod = injectedPod(env);
    expect([pod.metadata, pod.spec]).toEqual([plainPod.metadata, plainPod.spec]);
  });
});

describe('the injector reads the istiod values as the chart does', () => {
  test('the values the release gets give the same sidecar as the settings the synth passes', () => {
    const env = environment({
      proxyResources: { limits: { memory: '512Mi' } },
      meshId: 'm',
      trustDomain: 'td.example',
    });
    const fromRelease = new SidecarInjector({ values: istiodValues(env), nativeSidecars: true });
    const pod = podOf(
      fromRelease.inject({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'x/c:1' }] },
      }).object,
    );
    expect(proxyEnv(pod, 'TRUST_DOMAIN')).toBe('td.example');
    expect(proxyOf(pod.spec).resources).toEqual({
      limits: { cpu: '2', memory: '512Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
  });
});

test('mesh settings are refused with a control plane this project does not install', () => {
  expect(() => environment({ mode: 'gke-istio-addon', meshId: 'm' })).toThrow(/mesh.meshId.*istio-helm/s);
});
