import '../helpers/cdktf-matchers';
import { GkeHubFeature } from '@cdktf/provider-google/lib/gke-hub-feature';
import { GkeHubFeatureMembership } from '@cdktf/provider-google/lib/gke-hub-feature-membership';
import { GkeHubMembership } from '@cdktf/provider-google/lib/gke-hub-membership';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { parse, stringify } from 'yaml';
import type { EnvironmentInput } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { onlyResource, synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

const env = (change: (e: EnvironmentInput) => void = () => undefined) =>
  defaultEnvironment((e) => {
    change(e);
    return e;
  });

/** A stack's Helm releases by release name, with their values parsed. */
function releases(stack: TerraformStackJson): Record<string, Record<string, any>> {
  return Object.fromEntries(
    Object.entries(stack.resource.helm_release).map(([id, r]) => [r.name, { ...r, id, values: parse(r.values[0]) }]),
  );
}

const REMOTE_STATE = 'data.terraform_remote_state.cross-stack-reference-input-default-gke.outputs';

describe('the default mesh stack (istio-helm)', () => {
  const synth = synthesizeStacks([env()]);
  const mesh = synth.json('default-mesh');
  const text = synth.text('default-mesh');
  const byName = releases(mesh);

  test('snapshot', () => {
    expect(mesh).toMatchSnapshot();
  });

  test("each release's values are the bytes the `yaml` package writes for them (cdktf/mesh/istio-release.ts)", () => {
    for (const release of Object.values(mesh.resource.helm_release))
      expect(release.values[0]).toBe(stringify(parse(release.values[0])));
  });

  test("installs the configured Istio's base, cni, istiod and gateway charts from Istio's new repository", () => {
    expect(Object.keys(byName).sort()).toEqual(['istio-base', 'istio-cni', 'istio-ingressgateway', 'istiod']);
    for (const release of Object.values(byName)) {
      expect(release).toMatchObject({
        repository: 'https://blob.istio.io/istio-release/charts',
        version: env().istio.version,
        wait: true,
      });
    }
    expect(byName['istio-base']).toMatchObject({ chart: 'base', namespace: 'istio-system' });
    expect(byName['istio-cni']).toMatchObject({ chart: 'cni', namespace: 'istio-system' });
    expect(byName.istiod).toMatchObject({ chart: 'istiod', namespace: 'istio-system' });
    // In a namespace of its own, apart from istiod, as the gateway chart's README recommends.
    expect(byName['istio-ingressgateway']).toMatchObject({ chart: 'gateway', namespace: 'istio-ingress' });
  });

  test('installs in order: base, then cni, then istiod, then the gateway', () => {
    const ref = (name: string) => `helm_release.${byName[name].id}`;
    const checks = `terraform_data.${Object.keys(mesh.resource.terraform_data)[0]}`;
    expect(byName['istio-base'].depends_on).toEqual([checks]);
    expect(byName['istio-cni'].depends_on).toEqual([ref('istio-base'), checks]);
    expect(byName.istiod.depends_on).toEqual([ref('istio-base'), ref('istio-cni'), checks]);
    expect(byName['istio-ingressgateway'].depends_on).toEqual([ref('istiod'), checks]);
  });

  test('applies the GKE platform profile to every chart, and to the cni chart its values', () => {
    for (const release of Object.values(byName)) expect(release.values.global).toMatchObject({ platform: 'gke' });
    expect(byName['istio-cni'].values).toMatchObject({
      cni: { cniBinDir: '', resourceQuotas: { enabled: true } },
      resourceQuotas: { enabled: true },
    });
  });

  test('tells istiod that the CNI node agent redirects traffic, as the injected sidecars expect', () => {
    expect(byName.istiod.values.pilot.cni).toEqual({ enabled: true });
  });

  test("runs the gateway the Kubernetes side selects, on the gke stack's reserved address", () => {
    const gateway = byName['istio-ingressgateway'];
    expect(gateway.name).toBe(env().ingressGateway.name);
    expect(gateway.values.service).toEqual({
      type: 'LoadBalancer',
      ports: env().ingressGateway.ports.map((p) => ({ ...p, protocol: 'TCP' })),
    });
    expect(gateway.set).toEqual([
      {
        name: 'service.loadBalancerIP',
        value: `\${${REMOTE_STATE}.cross-stack-output-google_compute_addressgateway-addressaddress}`,
      },
    ]);
  });

  test("configures Helm from the gke stack's outputs and the deployer's access token", () => {
    expect(text).toHaveProviderWithProperties(HelmProvider, {
      kubernetes: {
        host: `https://\${${REMOTE_STATE}.cross-stack-output-google_container_clustergke_Cluster_D5F41316endpoint}`,
        cluster_ca_certificate: `\${base64decode(${REMOTE_STATE}.cross-stack-output-google_container_clustergke_Cluster_D5F41316master_auth0cluster_ca_certificate)}`,
        token: '${data.google_client_config.client.access_token}',
      },
    });
    const gke = synth.json('default-gke');
    for (const output of [
      'cross-stack-output-google_container_clustergke_Cluster_D5F41316endpoint',
      'cross-stack-output-google_compute_addressgateway-addressaddress',
    ]) {
      expect(gke.output![output]).toMatchObject({ sensitive: true });
    }
  });

  test('is deployed after the gke stack', () => {
    expect(synth.manifest.stacks['default-mesh'].dependencies).toEqual(['default-gke']);
  });
});

describe('istio-helm variations', () => {
  test('a revision names istiod after it and is passed to every chart that takes one', () => {
    const synth = synthesizeStacks([
      env((e) => {
        e.istio.revision = 'canary';
      }),
    ]);
    const byName = releases(synth.json('default-mesh'));
    expect(byName['istiod-canary'].values.revision).toBe('canary');
    expect(byName['istio-cni'].values.revision).toBe('canary');
    expect(byName['istio-ingressgateway'].values.revision).toBe('canary');
    expect(byName['istio-base'].values.defaultRevision).toBe('canary');
  });

  test('without the CNI node agent there is no cni release and istiod injects istio-init', () => {
    const synth = synthesizeStacks([
      env((e) => {
        e.injection = { cni: false };
      }),
    ]);
    const byName = releases(synth.json('default-mesh'));
    expect(Object.keys(byName).sort()).toEqual(['istio-base', 'istio-ingressgateway', 'istiod']);
    expect(byName.istiod.values.pilot.cni).toEqual({ enabled: false });
    expect(byName.istiod.depends_on).toEqual([
      `helm_release.${byName['istio-base'].id}`,
      `terraform_data.${Object.keys(synth.json('default-mesh').resource.terraform_data)[0]}`,
    ]);
  });
});

describe('cloud-service-mesh', () => {
  const csm = env((e) => {
    e.mesh = { mode: 'cloud-service-mesh' };
  });
  const synth = synthesizeStacks([csm]);
  const gke = synth.json('default-gke');
  const mesh = synth.json('default-mesh');
  const text = synth.text('default-mesh');
  const byName = releases(mesh);

  test('snapshot of both stacks', () => {
    expect({ gke, mesh }).toMatchSnapshot();
  });

  test('enables the fleet and mesh APIs besides the cluster ones', () => {
    const services = Object.values(gke.resource.google_project_service).map((s) => s.service);
    expect(services).toEqual(expect.arrayContaining(['gkehub.googleapis.com', 'mesh.googleapis.com']));
  });

  test('labels the cluster with the mesh_id of the project number, with Workload Identity on', () => {
    const cluster = onlyResource(gke, 'google_container_cluster');
    expect(cluster.resource_labels.mesh_id).toBe('proj-${data.google_project.project.number}');
    expect(cluster.workload_identity_config).toEqual({ workload_pool: 'your-gcp-project-id.svc.id.goog' });
    expect(onlyResource(gke, 'google_container_node_pool').node_config.resource_labels).not.toHaveProperty('mesh_id');
  });

  test('opens no webhook port: Google runs the control plane outside the cluster', () => {
    // only the explicit deny of all other ingress
    expect(Object.values(gke.resource.google_compute_firewall).map((rule: any) => rule.deny)).toEqual([
      [{ protocol: 'all' }],
    ]);
  });

  test('registers the cluster to the fleet and turns on managed Cloud Service Mesh', () => {
    expect(text).toHaveResourceWithProperties(GkeHubMembership, {
      membership_id: 'hello-istio',
      location: 'global',
      endpoint: {
        gke_cluster: {
          resource_link: `//container.googleapis.com/\${${REMOTE_STATE}.cross-stack-output-google_container_clustergke_Cluster_D5F41316id}`,
        },
      },
    });
    expect(text).toHaveResourceWithProperties(GkeHubFeature, { name: 'servicemesh', location: 'global' });
    expect(text).toHaveResourceWithProperties(GkeHubFeatureMembership, {
      location: 'global',
      mesh: { management: 'MANAGEMENT_AUTOMATIC' },
    });
  });

  test("installs no istiod of its own, only the gateway, on the managed control plane's revision", () => {
    expect(Object.keys(byName)).toEqual(['istio-ingressgateway']);
    const gateway = byName['istio-ingressgateway'];
    expect(gateway).toMatchObject({ chart: 'gateway', namespace: 'istio-ingress' });
    expect(gateway.values.revision).toBe('asm-managed');
    expect(gateway.depends_on).toEqual([
      `google_gke_hub_feature_membership.${Object.keys(mesh.resource.google_gke_hub_feature_membership)[0]}`,
      `terraform_data.${Object.keys(mesh.resource.terraform_data)[0]}`,
    ]);
    expect(text).toHaveResourceWithProperties(Release, { name: csm.ingressGateway.name });
  });

  test('the revision follows the release channel', () => {
    const rapid = env((e) => {
      e.mesh = { mode: 'cloud-service-mesh' };
      e.cluster.releaseChannel = 'RAPID';
    });
    expect(rapid.istio.revision).toBe('asm-managed-rapid');
    expect(releases(synthesizeStacks([rapid]).json('default-mesh'))['istio-ingressgateway'].values.revision).toBe(
      'asm-managed-rapid',
    );
  });
});
