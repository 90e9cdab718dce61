import { BUNDLE_VERSION_ANNOTATION, GATEWAY_API_GROUP, GATEWAY_NAME_LABEL } from '../../kube/gateway-api';
import { labelsOf, rec, selects, str } from '../../kube/object';
import { compareVersions } from '../../kube/versions';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const INEFFECTIVE_SELECTOR: MessageType = messageType('IST0166');
export const CRD_VERSION_BELOW_MINIMUM: MessageType = messageType('IST0176');

/** The Gateway API bundle versions Istio 1.30 needs, by CRD (pkg/config/schema/gatewayapi/minimumversions.go). */
const MINIMUM_CRD_VERSIONS: Readonly<Record<string, string>> = {
  [`grpcroutes.${GATEWAY_API_GROUP}`]: '1.1.0',
  [`backendtlspolicies.${GATEWAY_API_GROUP}`]: '1.4.0',
  [`tlsroutes.${GATEWAY_API_GROUP}`]: '1.5.0',
};

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
    const gatewayPods = mesh.workloads.filter((pod) => pod.object && pod.labels[GATEWAY_NAME_LABEL] !== undefined);
    for (const kind of POLICY_KINDS) {
      for (const object of mesh.index.ofKind(kind)) {
        const spec = rec(object.manifest.spec);
        if (spec.targetRef !== undefined || spec.selector === undefined || spec.selector === null) continue;
        const selector = labelsOf(rec(spec.selector).matchLabels);
        for (const pod of gatewayPods) {
          if (pod.namespace === object.ref.namespace && selects(selector, pod.labels)) {
            report(INEFFECTIVE_SELECTOR, object, formatMessage(INEFFECTIVE_SELECTOR, pod.labels[GATEWAY_NAME_LABEL]), [
              'spec',
              'selector',
            ]);
          }
        }
      }
    }
    for (const object of mesh.index.ofKind('CustomResourceDefinition')) {
      const minimum = MINIMUM_CRD_VERSIONS[object.ref.name];
      const installed = str(labelsOf(object.manifest.metadata.annotations)[BUNDLE_VERSION_ANNOTATION]);
      // a bundle version that is no release number is not judged
      if (!minimum || !installed || !/^v?\d+\.\d+\.\d+/.test(installed)) continue;
      if (compareVersions(installed, minimum) < 0)
        report(
          CRD_VERSION_BELOW_MINIMUM,
          object,
          formatMessage(CRD_VERSION_BELOW_MINIMUM, object.ref.name, installed.replace(/^v/, ''), minimum),
        );
    }
  },
};
