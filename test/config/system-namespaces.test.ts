import { ConfigError, ENVIRONMENTS, loadEnvironments, SYSTEM_NAMESPACES, type EnvironmentInput } from '../../config';

// The security chart writes a deny-everything AuthorizationPolicy and STRICT mutual TLS into the application's
// namespace: in a system namespace that would reach Kubernetes, Istio or the whole mesh, so config refuses them.
function load(change: Partial<EnvironmentInput>) {
  const input = { ...structuredClone(ENVIRONMENTS.find((e) => e.name === 'default')!), ...change };
  return () => loadEnvironments([input], {});
}

test.each(['istio-system', 'kube-system', 'kube-public', 'kube-node-lease', 'default', 'istio-ingress'])(
  'namespace %s is refused, with the reason',
  (namespace) => {
    expect(load({ namespace })).toThrow(ConfigError);
    expect(load({ namespace })).toThrow(`namespace = "${namespace}": must not be ${namespace}, a system namespace: ${SYSTEM_NAMESPACES[namespace]}`);
  },
);

test("the ingress gateway's namespace of the mesh mode is refused", () => {
  expect(load({ namespace: 'istio-ingress', mesh: { mode: 'cloud-service-mesh' } })).toThrow(/the ingress gateway's namespace/);
});

test('an application namespace of its own is accepted', () => {
  expect(load({ namespace: 'shop' })()[0].namespace).toBe('shop');
});
