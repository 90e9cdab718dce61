import { arr, labelsOf, matchesLabelSelector, rec, str } from '../../kube/object';
import type { PodModel } from '../../kube/object-index';
import { PROXY_CONTAINER } from '../../kube/sidecar-injection';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import type { Mesh } from '../mesh';

export const IMAGE_AUTO_WITHOUT_INJECTION_WARNING: MessageType = messageType('IST0146');
export const IMAGE_AUTO_WITHOUT_INJECTION_ERROR: MessageType = messageType('IST0147');
export const PROXY_IMAGE_MISMATCH: MessageType = messageType('IST0158');

/**
 * The istio-proxy image of pods against what the injector would give them (istioctl's injection.ImageAnalyzer and
 * ImageAutoAnalyzer):
 * - a running Pod in an injected namespace whose proxy image is not the injector's (the `global` hub, tag and proxy
 *   image of its istio-sidecar-injector ConfigMap, or that image with the pod's image type, e.g. `-distroless`) is
 *   one of the namespace's stale pods (IST0158: restart them after an upgrade);
 * - `image: auto` is a placeholder the webhook fills in: a Pod with it was not injected (IST0147), and a Deployment
 *   with it whose pods no Istio webhook selects will not be (IST0146).
 */
export const proxyImages: Check = {
  description: 'Proxy images match the injector, and `image: auto` placeholders will be filled in',
  messages: [IMAGE_AUTO_WITHOUT_INJECTION_WARNING, IMAGE_AUTO_WITHOUT_INJECTION_ERROR, PROXY_IMAGE_MISMATCH],
  run(mesh, report) {
    imageAuto(mesh, report);
    mismatches(mesh, report);
  },
};

function imageAuto(mesh: Mesh, report: Parameters<Check['run']>[1]): void {
  const webhooks = mesh.index
    .ofKind('MutatingWebhookConfiguration')
    .flatMap((o) => arr(o.manifest.webhooks).map(rec))
    .filter((w) => (str(w.name) ?? '').endsWith('istio.io'));
  for (const pod of mesh.workloads) {
    if (!pod.object || !pod.containers.some((c) => c.name === PROXY_CONTAINER && c.image === 'auto')) continue;
    if (pod.kind === 'Pod') {
      report(
        IMAGE_AUTO_WITHOUT_INJECTION_ERROR,
        pod.object,
        formatMessage(IMAGE_AUTO_WITHOUT_INJECTION_ERROR, 'Pod', pod.name),
      );
    } else if (pod.kind === 'Deployment') {
      const nsLabels = mesh.index.namespaceLabels(pod.namespace || 'default');
      const selected = webhooks.some(
        (w) =>
          matchesLabelSelector(w.namespaceSelector, nsLabels) && matchesLabelSelector(w.objectSelector, pod.labels),
      );
      if (!selected)
        report(
          IMAGE_AUTO_WITHOUT_INJECTION_WARNING,
          pod.object,
          formatMessage(IMAGE_AUTO_WITHOUT_INJECTION_WARNING, 'Deployment', pod.name),
        );
    }
  }
}

function mismatches(mesh: Mesh, report: Parameters<Check['run']>[1]): void {
  const injectorImages = new Map<string, string>();
  for (const object of mesh.index.ofKind('ConfigMap')) {
    if (object.ref.name.startsWith('istio-sidecar-injector'))
      injectorImages.set(object.ref.name, injectorImage(object.manifest.data));
  }
  if (injectorImages.size === 0) return;
  const stale = new Map<string, string[]>();
  for (const pod of mesh.workloads) {
    if (!pod.object || pod.kind !== 'Pod') continue;
    const labels = mesh.index.namespaceLabels(pod.namespace);
    const revision = labels['istio.io/rev'];
    if (labels['istio-injection'] !== 'enabled' && revision === undefined) continue;
    if (pod.annotations['sidecar.istio.io/proxyImage']) continue;
    const expected = injectorImages.get(
      revision === undefined || revision === 'default'
        ? 'istio-sidecar-injector'
        : `istio-sidecar-injector-${revision}`,
    );
    if (expected === undefined) continue;
    const variant = imageType(mesh, pod);
    for (const container of [...pod.containers, ...pod.initContainers]) {
      if (container.name !== PROXY_CONTAINER) continue;
      if (container.image !== expected && container.image !== `${expected}-${variant}`) {
        const list = stale.get(pod.namespace) ?? [];
        list.push(pod.name);
        stale.set(pod.namespace, list);
      }
    }
  }
  for (const [namespace, pods] of stale) {
    const object = mesh.namespaces.get(namespace);
    if (object) report(PROXY_IMAGE_MISMATCH, object, formatMessage(PROXY_IMAGE_MISMATCH, pods.sort()));
  }
}

/** The proxy image the injector's values give: `global.proxy.image` if it is a full reference, else hub/image:tag. */
function injectorImage(data: unknown): string {
  let values: Record<string, unknown>;
  try {
    values = rec(JSON.parse(str(rec(data).values) ?? ''));
  } catch {
    return '';
  }
  const global = rec(values.global);
  const image = str(rec(global.proxy).image) ?? '';
  return image.includes('/') ? image : `${str(global.hub) ?? ''}/${image}:${str(global.tag) ?? ''}`;
}

/** The proxy's image type (`distroless`, ...): mesh config, then ProxyConfig (root, namespace, workload), then the pod's annotation. */
function imageType(mesh: Mesh, pod: PodModel): string {
  const typeOf = (config: unknown) => str(rec(rec(config).image).imageType) ?? '';
  let variant = typeOf(rec(mesh.meshConfig.defaultConfig));
  const root = str(mesh.meshConfig.rootNamespace) ?? mesh.rootNamespace;
  for (const object of mesh.index.ofKind('ProxyConfig')) {
    const spec = rec(object.manifest.spec);
    const namespace = object.ref.namespace ?? '';
    const applies =
      namespace === root ||
      (namespace === pod.namespace &&
        (spec.selector === undefined ||
          Object.entries(labelsOf(rec(spec.selector).matchLabels)).every(([k, v]) => pod.labels[k] === v)));
    if (applies && typeOf(spec)) variant = typeOf(spec);
  }
  const annotation = pod.annotations['proxy.istio.io/config'];
  if (annotation) {
    const match = /imageType:\s*["']?([\w-]+)/.exec(annotation);
    if (match) variant = match[1];
  }
  return variant;
}
