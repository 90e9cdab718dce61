import { injectorMinor } from './istio-defaults';
import type { KubeObject } from '../kube/object';
import { podSecurityLevel, type InjectionLabelSettings } from './namespace-labels';
import { podSecurityViolations } from '../pod-security/pod-security-standards';
import { SidecarInjector, type SidecarInjectorProps } from './sidecar-injector';
import { isWorkload, podTemplateOf } from '../kube/workload-kinds';

/**
 * The injection pass over an app's synthesized objects, after the charts and before validation and analysis.
 * - `manual`: every workload gets its sidecar, exactly as `istioctl kube-inject` would write it;
 * - `auto` and `off`: objects are left as they are (the cluster's webhook injects in `auto`).
 * In every mode, each pod in the app's namespace must meet the Pod Security level the namespace is labelled
 * with, as it will run (in `auto`, with the sidecar the webhook adds); otherwise the pass throws.
 */

/** What the pass needs to know, as plain settings. */
export interface InjectionPassSettings extends InjectionLabelSettings {
  /** The Istio release the control plane runs: it must be the one whose injection this injector reproduces. */
  readonly istioVersion: string;
  /** The namespace whose pods the Pod Security check covers. */
  readonly namespace: string;
  /** The control plane's injection settings (istiod's Helm values and mesh config, revision, native sidecars). */
  readonly injector: SidecarInjectorProps;
}

/** The injector for a control plane. */
export function sidecarInjectorFor(
  settings: Pick<InjectionPassSettings, 'istioVersion' | 'injector'>,
): SidecarInjector {
  // The template is per minor: a patch renders the same sidecar as the release its minor's data came from.
  injectorMinor(settings.istioVersion);
  return new SidecarInjector({ ...settings.injector, istioVersion: settings.istioVersion });
}

/** Runs the pass over each chart's objects; returns new lists (the inputs are not changed). */
export function injectSidecars<C extends { readonly manifests: readonly object[] }>(
  settings: InjectionPassSettings,
  charts: readonly C[],
): C[] {
  const injector = settings.mode === 'off' ? undefined : sidecarInjectorFor(settings);
  const inject = (m: object): object =>
    settings.mode === 'manual' && injector ? injector.inject(m as KubeObject).object : m;
  const out = charts.map((chart) => ({ ...chart, manifests: chart.manifests.map(inject) }));
  const level = podSecurityLevel(settings);
  if (level === 'privileged') return out; // nothing to check
  const problems: string[] = [];
  for (const manifest of out.flatMap((chart) => chart.manifests as KubeObject[])) {
    const namespace = manifest.metadata?.namespace;
    if (!isWorkload(manifest) || (namespace !== undefined && namespace !== settings.namespace)) continue;
    // in auto mode the pod runs with the sidecar the cluster's webhook adds: check that pod
    const running = settings.mode === 'auto' && injector ? injector.inject(manifest).object : manifest;
    const pod = podTemplateOf(running);
    for (const violation of podSecurityViolations(pod, level))
      problems.push(`${pod.description}: ${violation.field}: ${violation.message}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `namespace "${settings.namespace}" is labelled for the Pod Security level "${level}" (injection ` +
        `${settings.mode}${settings.cni ? ', CNI' : ''}), which these pods would break:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
  return out;
}
