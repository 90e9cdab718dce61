import type { KubeObject } from '../../kube/object';
import { SidecarInjector, type SidecarInjectorProps } from '../../inject/sidecar-injector';

/** A Kubernetes object as plain JSON, as `Chart.toJson()` gives it. */
export type KubernetesObject = Record<string, unknown>;

/**
 * The injection pass, for a cdk8s app of your own: every workload among `objects` (a chart's `toJson()`) gets its
 * Istio sidecar exactly as `istioctl kube-inject` would write it with these settings; other objects pass unchanged.
 * The inputs are not changed.
 *
 * @param settings the injector's settings: istiod's Helm values and mesh config, revision, native sidecars
 * @default settings - Istio 1.30's default values and mesh config: native sidecars, no CNI (so pods get the NET_ADMIN
 *   istio-init)
 * @throws InjectionError naming an object that cannot be injected
 */
export function injectSidecars(objects: readonly unknown[], settings: SidecarInjectorProps = {}): KubernetesObject[] {
  const injector = new SidecarInjector(settings);
  return objects.map((object) => injector.inject(object as KubeObject).object as KubernetesObject);
}
