import { ConfigError, loadEnvironments, SYSTEM_NAMESPACES, type EnvironmentInput } from '../../config';
import { defaultInput } from '../helpers/environments';

// The security chart writes a deny-everything AuthorizationPolicy and STRICT mutual TLS into the application's
// namespace: in a system namespace that would reach Kubernetes, Istio or the whole mesh, so config refuses them.
function load(change: Partial<EnvironmentInput>) {
  const input = { ...defaultInput(), ...change };
  return () => loadEnvironments([input], {});
}

test.each(['istio-system', 'kube-system', 'kube-public', 'kube-node-lease', 'default', 'istio-ingress'])(
  'namespace %s is refused, with the reason',
  (namespace) => {
    expect(load({ namespace })).toThrow(ConfigError);
    expect(load({ namespace })).toThrow(
      `namespace = "${namespace}": must not be ${namespace}, a system namespace: ${SYSTEM_NAMESPACES[namespace]}`,
    );
  },
);

test("the ingress gateway's namespace of the mesh mode is refused", () => {
  expect(load({ namespace: 'istio-ingress', mesh: { mode: 'cloud-service-mesh' } })).toThrow(
    /the ingress gateway's namespace/,
  );
});

test('an application namespace of its own is accepted', () => {
  expect(load({ namespace: 'shop' })()[0].namespace).toBe('shop');
});

test("a gateway namespace of the environment's own is refused as the application namespace", () => {
  expect(load({ namespace: 'edge', mesh: { mode: 'istio-helm', gatewayNamespace: 'edge' } })).toThrow(
    /the ingress gateway's namespace/,
  );
});
