import { goJson } from './go-json';
import type { TemplatePod } from './sidecar-template';

/**
 * The `sidecar.istio.io/status` annotation: what injection added (from the rendered template only, not the pod's
 * own containers or pull secrets) and for which revision. Istio uses it to strip and re-inject a pod, and
 * `istioctl analyze` to tell injected pods apart. Keys and nulls are exactly as Go marshals the status struct.
 */
export function injectionStatus(template: TemplatePod, revision: string | undefined): string {
  const names = (items: readonly { name: string }[] | undefined) =>
    items && items.length > 0 ? items.map((item) => item.name) : null;
  return goJson({
    initContainers: names(template.initContainers),
    containers: names(template.containers),
    volumes: names(template.volumes),
    imagePullSecrets: names(template.imagePullSecrets),
    revision: revision || 'default',
  });
}
