import { labelsOf, rec, selects, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const INEFFECTIVE_SELECTOR: MessageType = messageType('IST0166');
export const CRD_VERSION_BELOW_MINIMUM: MessageType = messageType('IST0176');

/** The Gateway API bundle versions Istio 1.30 needs, by CRD (pkg/config/schema/gatewayapi/minimumversions.go). */
const MINIMUM_CRD_VERSIONS: Readonly<Record<string, string>> = {
  'grpcroutes.gateway.networking.k8s.io': '1.1.0',
  'backendtlspolicies.gateway.networking.k8s.io': '1.4.0',
  'tlsroutes.gateway.networking.k8s.io': '1.5.0',
};

const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
const POLICY_KINDS = ['AuthorizationPolicy', 'RequestAuthentication', 'Telemetry', 'WasmPlugin'];

/**
 * Kubernetes Gateway API resources (istioctl's k8sgateway analyzers): a policy that selects the pods of a Gateway
 * API gateway by label has no effect there (IST0166: attach it with `targetRef`), and a Gateway API CRD older than
 * Istio needs is not watched at all (IST0176, by its `gateway.networking.k8s.io/bundle-version`).
 */
export const gatewayApi: Check = {
  description: 'Policies attach to Gateway API gateways by targetRef, and Gateway API CRDs are recent enough',
  messages: [INEFFECTIVE_SELECTOR, CRD_VERSION_BELOW_MINIMUM],
  run(mesh, report) {
    const gatewayPods = mesh.workloads.filter((pod) => pod.object && pod.labels[GATEWAY_NAME] !== undefined);
    for (const kind of POLICY_KINDS) {
      for (const object of mesh.index.ofKind(kind)) {
        const spec = rec(object.manifest.spec);
        if (spec.targetRef !== undefined || spec.selector === undefined || spec.selector === null) continue;
        const selector = labelsOf(rec(spec.selector).matchLabels);
        for (const pod of gatewayPods) {
          if (pod.namespace === object.ref.namespace && selects(selector, pod.labels)) {
            report(INEFFECTIVE_SELECTOR, object, formatMessage(INEFFECTIVE_SELECTOR, pod.labels[GATEWAY_NAME]), [
              'spec',
              'selector',
            ]);
          }
        }
      }
    }
    for (const object of mesh.index.ofKind('CustomResourceDefinition')) {
      const minimum = MINIMUM_CRD_VERSIONS[object.ref.name];
      const installed = str(labelsOf(object.manifest.metadata.annotations)['gateway.networking.k8s.io/bundle-version']);
      if (!minimum || !installed) continue;
      const release = /^v?(\d+)\.(\d+)\.(\d+)/.exec(installed);
      if (!release) continue;
      const [a, b] = [release.slice(1, 4).map(Number), minimum.split('.').map(Number)];
      const below = a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
      if (below)
        report(
          CRD_VERSION_BELOW_MINIMUM,
          object,
          formatMessage(CRD_VERSION_BELOW_MINIMUM, object.ref.name, installed.replace(/^v/, ''), minimum),
        );
    }
  },
};
