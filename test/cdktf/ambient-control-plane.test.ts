import { parse, stringify } from 'yaml';
import { AMBIENT_PROFILE } from '../../config/ambient-profile';
import { istiodSettings } from '../../config';
import { testEnvironment } from '../helpers/environments';
import { describeWithReference, readReference } from '../helpers/reference';
import { synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

/** A stack's Helm releases by release name, with their values parsed. */
function releases(stack: TerraformStackJson): Record<string, Record<string, any>> {
  return Object.fromEntries(
    Object.entries(stack.resource.helm_release).map(([id, r]) => [
      r.name,
      { ...r, id, values: r.values ? parse(r.values[0]) : {} },
    ]),
  );
}

describeWithReference('the ambient profile', () => {
  test("written out for istiod and the cni chart, it is Istio 1.30.3's profile-ambient.yaml", () => {
    expect(AMBIENT_PROFILE).toEqual(parse(readReference('istio-1.30.3/profile-ambient.yaml')));
  });
});

describe('an ambient environment (istio-helm, mesh.dataplane ambient)', () => {
  const env = testEnvironment((e) => {
    e.mesh = { dataplane: 'ambient', network: 'net1', clusterName: 'c1', trustDomain: 'example.org' };
  });
  const synth = synthesizeStacks([env]);
  const mesh = synth.json('test-mesh');
  const byName = releases(mesh);
  const ref = (name: string) => `helm_release.${byName[name].id}`;
  const checks = `terraform_data.${Object.keys(mesh.resource.terraform_data)[0]}`;

  test("each release's values, ztunnel's included, are the bytes the `yaml` package writes for them", () => {
    const written = Object.values(mesh.resource.helm_release).flatMap((release) => release.values ?? []);
    expect(written.length).toBeGreaterThanOrEqual(4);
    for (const text of written) expect(text).toBe(stringify(parse(text)));
  });

  test('has no sidecars to inject: injection is off and the CNI node agent runs', () => {
    expect(env.injection).toMatchObject({ mode: 'off', cni: true });
  });

  test('installs the Gateway API CRDs (waypoints are Gateways), then base, istiod, cni and ztunnel, then the gateway, in the order of Istio’s Helm guide for ambient', () => {
    expect(Object.keys(byName).sort()).toEqual([
      'gateway-api-crds',
      'istio-base',
      'istio-cni',
      'istio-ingressgateway',
      'istiod',
      'ztunnel',
    ]);
    expect(byName['gateway-api-crds'].depends_on).toEqual([checks]);
    expect(byName['istio-base'].depends_on).toEqual([ref('gateway-api-crds'), checks]);
    expect(byName.istiod.depends_on).toEqual([ref('istio-base'), checks]);
    expect(byName['istio-cni'].depends_on).toEqual([ref('istiod'), checks]);
    expect(byName.ztunnel.depends_on).toEqual([ref('istio-cni'), checks]);
    expect(byName['istio-ingressgateway'].depends_on).toEqual([ref('ztunnel'), checks]);
    expect(byName.ztunnel).toMatchObject({ chart: 'ztunnel', namespace: 'istio-system', version: env.istio.version });
  });

  test("istiod gets the ambient profile's values from istiodSettings, under the environment's own", () => {
    const istiod = byName.istiod.values;
    expect(istiod.pilot.env).toEqual({ PILOT_ENABLE_AMBIENT: 'true' });
    // waypoints' pods meet Pod Security restricted in the application's namespace
    expect(istiod.gateways).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(istiod.global).toMatchObject({ variant: 'distroless', platform: 'gke', network: 'net1' });
    expect(istiod.meshConfig).toEqual({
      ...AMBIENT_PROFILE.meshConfig,
      trustDomain: 'example.org',
    });
    // one source: the release carries exactly istiodSettings' values
    const settings = istiodSettings(env);
    expect(istiod.meshConfig).toEqual(settings.meshConfig);
    expect(istiod).toMatchObject(settings.values);
  });

  test('the cni chart runs in ambient mode with the GKE platform profile (its ResourceQuota for system-node-critical)', () => {
    expect(byName['istio-cni'].values).toMatchObject({
      global: { platform: 'gke', variant: 'distroless' },
      cni: { ambient: { enabled: true }, cniBinDir: '', resourceQuotas: { enabled: true } },
    });
  });

  test("ztunnel gets the GKE platform profile's ResourceQuota and reports the cluster as istiod knows it", () => {
    expect(byName.ztunnel.values).toEqual({
      global: {
        hub: env.istio.hub,
        tag: env.istio.version,
        platform: 'gke',
        network: 'net1',
        multiCluster: { clusterName: 'c1' },
      },
      cni: { cniBinDir: '', resourceQuotas: { enabled: true } },
      resourceQuotas: { enabled: true },
    });
  });

  test('a revision reaches ztunnel too', () => {
    const revisioned = releases(
      synthesizeStacks([
        testEnvironment((e) => {
          e.mesh = { dataplane: 'ambient' };
          e.istio.revision = 'canary';
        }),
      ]).json('test-mesh'),
    );
    expect(revisioned.ztunnel.values.revision).toBe('canary');
    expect(revisioned['istio-cni'].values.revision).toBe('canary');
  });

  test('a sidecar environment installs no ztunnel and istiod without the ambient profile', () => {
    const sidecar = releases(synthesizeStacks([testEnvironment()]).json('test-mesh'));
    expect(sidecar).not.toHaveProperty('ztunnel');
    expect(sidecar.istiod.values.pilot).not.toHaveProperty('env');
    expect(sidecar['istio-cni'].values.cni).not.toHaveProperty('ambient');
  });
});
