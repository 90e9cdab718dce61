import '../helpers/cdktf-matchers';
import { GoogleContainerCluster } from '@cdktf/provider-google-beta/lib/google-container-cluster';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { GKE_ISTIO_ADDON_WARNING } from '../../cdktf/platform';
import { testEnvironments } from '../helpers/environments';
import { onlyResource, synthesizeStacks } from '../helpers/terraform';

describe('the tutorial environment: the GKE Istio add-on, literally', () => {
  const tutorial = testEnvironments().find((e) => e.name === 'tutorial')!;
  const synth = synthesizeStacks([tutorial]);
  const json = synth.json('tutorial-gke');
  const text = synth.text('tutorial-gke');
  const cluster = onlyResource(json, 'google_container_cluster');

  test('snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test("is the tutorial's cluster: us-central1-f, 4 nodes, the add-on with mutual TLS, under a name of its own", () => {
    expect(tutorial.mesh.mode).toBe('gke-istio-addon');
    expect(text).toHaveResourceWithProperties(GoogleContainerCluster, {
      name: 'hello-istio-tutorial',
      location: 'us-central1-f',
      provider: 'google-beta',
      addons_config: { istio_config: { disabled: false, auth: 'AUTH_MUTUAL_TLS' } },
    });
    expect(onlyResource(json, 'google_container_node_pool').node_count).toBe(4);
    expect(text).toHaveProviderWithProperties(GoogleBetaProvider, {
      project: 'your-gcp-project-id',
      region: 'us-central1',
    });
    expect(json.terraform.required_providers['google-beta']).toEqual({ source: 'google-beta', version: '6.50.0' });
  });

  test('is hardened like the default cluster: only the add-on, its provider, its name and the labels differ', () => {
    const defaults = synthesizeStacks(testEnvironments().filter((e) => e.name === 'default')).json('default-gke');
    const comparable = ({
      '//': _metadata,
      addons_config: _addon,
      provider: _provider,
      name: _name,
      resource_labels,
      node_config,
      ...rest
    }: Record<string, any>) => ({
      ...rest,
      node_config: { ...node_config, resource_labels: undefined, tags: undefined },
      resource_labels: { ...resource_labels, environment: undefined },
    });
    expect(comparable(cluster)).toEqual(comparable(onlyResource(defaults, 'google_container_cluster')));
    expect(cluster.resource_labels.environment).toBe('tutorial');
  });

  test('has only the gke stack: the control plane is part of the cluster', () => {
    expect(Object.keys(synth.manifest.stacks)).toEqual(['tutorial-gke']);
    expect(json.resource.helm_release).toBeUndefined();
    expect(json.resource.google_compute_address).toBeUndefined();
    // no webhook port to open: only the explicit deny of all other ingress
    expect(Object.values(json.resource.google_compute_firewall).map((rule: any) => rule.deny)).toEqual([
      [{ protocol: 'all' }],
    ]);
  });

  test("outputs how to read the add-on gateway's ephemeral address", () => {
    expect(json.output!.gateway_url_command.value).toBe(
      `echo "http://$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')/productpage"`,
    );
    expect(json.output).not.toHaveProperty('gateway_ip');
  });

  test('warns that GKE no longer accepts the add-on and names the replacements, for npm run synth and cdktf synth', () => {
    expect(GKE_ISTIO_ADDON_WARNING).toMatch(/GKE no longer accepts the Istio add-on/);
    expect(GKE_ISTIO_ADDON_WARNING).toMatch(/"istio-helm".*"cloud-service-mesh"/);
    // What the add-on's last control plane (Istio 1.6) cannot read of our Kubernetes output, said exactly.
    expect(GKE_ISTIO_ADDON_WARNING).toContain(
      "not the add-on's last control plane (Istio 1.6), which reads neither networking.istio.io/v1 nor " +
        'security.istio.io/v1 and does not rewrite startup probes',
    );
    expect(synth.warnings.get('tutorial')).toContain(GKE_ISTIO_ADDON_WARNING);
    expect(synth.manifest.stacks['tutorial-gke']).toMatchObject({
      annotations: expect.arrayContaining([
        { constructPath: 'tutorial-gke', level: '@cdktf/warn', message: GKE_ISTIO_ADDON_WARNING },
      ]),
    });
  });
});
