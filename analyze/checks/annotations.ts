import type { IndexedObject } from '../../kube/object-index';
import { apiGroupOf, arr, labelsOf, rec } from '../../kube/object';
import { ISTIO_ANNOTATIONS } from '../annotations';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const MISPLACED_ANNOTATION: MessageType = messageType('IST0107');
export const UNKNOWN_ANNOTATION: MessageType = messageType('IST0108');
export const DEPRECATED_ANNOTATION: MessageType = messageType('IST0135');
export const ALPHA_ANNOTATION: MessageType = messageType('IST0136');

const BY_NAME = new Map(ISTIO_ANNOTATIONS.map((a) => [a.name, a]));
/** Set by Istio itself, never reported (istioctl's maturity.AlwaysIgnoredAnnotations). */
const ALWAYS_IGNORED = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);
/** Set by the injector when the CNI plugin is not used; not reported on pods that run istio-init. */
const DEFAULTS_WITHOUT_CNI = new Set([
  'sidecar.istio.io/interceptionMode',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
]);
const KINDS = new Map([
  ['Namespace', ''],
  ['Service', ''],
  ['Pod', ''],
  ['Deployment', 'apps'],
]);

/**
 * Istio's annotations on Namespaces, Services, Pods and Deployments (their own metadata), against istio.io/api's
 * list of them (analyze/annotations.ts; istioctl's annotations.K8sAnalyzer and maturity.AlphaAnalyzer): an
 * `*istio.io/` annotation Istio does not define (IST0108), one set on a kind it does not apply to (IST0107), a
 * deprecated one (IST0135; `sidecar.istio.io/inject` is the label now), an alpha-phase one (IST0136, an info).
 * Annotation values are not validated here (istioctl's IST0125): the injector refuses bad ones at synth time.
 */
export const annotations: Check = {
  description: 'Istio annotations exist, apply to the kind they are on, and are neither deprecated nor alpha',
  messages: [MISPLACED_ANNOTATION, UNKNOWN_ANNOTATION, DEPRECATED_ANNOTATION, ALPHA_ANNOTATION],
  run(mesh, report) {
    for (const object of mesh.objects) {
      if (!object.named || KINDS.get(object.ref.kind) !== apiGroupOf(object.ref.apiVersion)) continue;
      const metadata = rec(object.manifest.metadata);
      const labels = labelsOf(metadata.labels);
      for (const name of Object.keys(rec(metadata.annotations))) {
        if (!istioAnnotation(name) || ALWAYS_IGNORED.has(name)) continue;
        const path = ['metadata', 'annotations', name];
        const definition = BY_NAME.get(name);
        if (!definition) {
          report(UNKNOWN_ANNOTATION, object, formatMessage(UNKNOWN_ANNOTATION, name), path);
          continue;
        }
        if (definition.featureStatus === 'Alpha' && !(withoutCni(object) && DEFAULTS_WITHOUT_CNI.has(name))) {
          report(ALPHA_ANNOTATION, object, formatMessage(ALPHA_ANNOTATION, name), path);
        }
        if (
          definition.deprecated &&
          !(name === 'sidecar.istio.io/inject' && labels['sidecar.istio.io/inject'] !== undefined)
        ) {
          const extra = name === 'sidecar.istio.io/inject' ? ' in favor of the "sidecar.istio.io/inject" label' : '';
          report(DEPRECATED_ANNOTATION, object, formatMessage(DEPRECATED_ANNOTATION, name, extra), path);
        }
        if (definition.resources.includes('Any')) continue;
        const attachesTo = definition.resources.filter((r) => r !== 'Unknown');
        if (!attachesTo.includes(object.ref.kind)) {
          report(MISPLACED_ANNOTATION, object, formatMessage(MISPLACED_ANNOTATION, name, attachesTo.join(', ')), path);
        }
      }
    }
  },
};

/** An annotation in Istio's namespace (`*istio.io/...`), or `kubernetes.io/ingress.class`. */
function istioAnnotation(name: string): boolean {
  return name === 'kubernetes.io/ingress.class' || name.split('/')[0].endsWith('istio.io');
}

/** A Pod that runs istio-init (no CNI plugin): the injector set the traffic annotations itself. */
function withoutCni(object: IndexedObject): boolean {
  return (
    object.ref.kind === 'Pod' &&
    !arr(rec(object.manifest.spec).initContainers).some((c) => rec(c).name === 'istio-init')
  );
}
