import { parse } from 'yaml';
import { MESH_PROFILES } from '../../config';
import { describeWithReference, readReference } from '../helpers/reference';

describeWithReference(
  'the gateway the project installs with the `gateway` chart (istio-helm, Cloud Service Mesh)',
  () => {
    let chartDefaults: { service: { ports: Record<string, unknown>[] }; labels: Record<string, string> };
    beforeAll(() => {
      chartDefaults = parse(readReference('istio-1.30.3/gateway-values.yaml'))._internal_defaults_do_not_set;
    });

    test.each(['istio-helm', 'cloud-service-mesh'] as const)('%s: Service ports are the chart defaults', (mode) => {
      const ports = chartDefaults.service.ports.map(({ name, port, targetPort }: Record<string, unknown>) => ({
        name,
        port,
        targetPort,
      }));
      expect(MESH_PROFILES[mode].ingressGateway.ports).toEqual(ports);
    });

    test.each(['istio-helm', 'cloud-service-mesh'] as const)(
      '%s: labels are the ones the chart derives from the release name',
      (mode) => {
        const { name, labels } = MESH_PROFILES[mode].ingressGateway;
        expect(chartDefaults.labels).toEqual({ 'istio.io/dataplane-mode': 'none' }); // the chart sets no app/istio itself
        expect(labels).toEqual({ app: name, istio: name.replace(/^istio-/, '') });
      },
    );

    test('both run it in a namespace of its own, istio-ingress by default, apart from istiod', () => {
      expect(MESH_PROFILES['cloud-service-mesh'].ingressGateway.namespace).toBe('istio-ingress');
      expect(MESH_PROFILES['istio-helm'].ingressGateway.namespace).toBe('istio-ingress');
      expect(MESH_PROFILES['istio-helm'].installsGateway).toBe(true);
      expect(MESH_PROFILES['gke-istio-addon'].installsGateway).toBe(false);
    });
  },
);

test("the GKE add-on's gateway: Istio 1.6's ports, unprivileged 8080 and 8443 behind 80 and 443", () => {
  expect(MESH_PROFILES['gke-istio-addon'].ingressGateway.ports).toEqual([
    { name: 'status-port', port: 15021, targetPort: 15021 },
    { name: 'http2', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
  ]);
});

test('injection and traffic redirection per mode', () => {
  expect(MESH_PROFILES['istio-helm']).toMatchObject({ defaultInjection: 'manual', cni: true });
  expect(MESH_PROFILES['gke-istio-addon']).toMatchObject({ defaultInjection: 'auto', cni: false });
  expect(MESH_PROFILES['cloud-service-mesh']).toMatchObject({
    defaultInjection: 'auto',
    cni: true,
    managedRevisions: { RAPID: 'asm-managed-rapid', REGULAR: 'asm-managed', STABLE: 'asm-managed-stable' },
  });
});
