import type { Environment } from '../config';
import type { ChartManifests, Manifest } from '../kube/object';
import { ISTIO_RELEASE } from './istio-defaults';
import type { KubeObject } from '../kube/object';
import { podSecurityLevel, type InjectionLabelSettings } from './namespace-labels';
import { podSecurityViolations } from '../pod-security/pod-security-standards';
import { SidecarInjector } from './sidecar-injector';
import { isWorkload, podTemplateOf } from '../kube/workload-kinds';

/**
 * The injection pass of `synthesizeKubernetes`: over an environment's synthesized objects, after the charts and
 * before validation and analysis.
 * - `manual`: every workload gets its sidecar, exactly as `istioctl kube-inject` would write it;
 * - `auto` and `off`: objects are left as they are (the cluster's webhook injects in `auto`).
 * In every mode, each pod in the environment's namespace must meet the Pod Security level the namespace is labelled
 * with, as it will run (in `auto`, with the sidecar the webhook adds); otherwise the synth stops.
 */

/** The injection settings of an environment, as the namespace labels and the injector read them. */
export function injectionSettings(env: Environment): InjectionLabelSettings {
  return { mode: env.injection.mode, cni: env.injection.cni, revision: env.istio.revision };
}

/** The injector configured for an environment. */
export function sidecarInjectorFor(env: Environment): SidecarInjector {
  if (env.istio.version !== ISTIO_RELEASE) {
    throw new Error(
      `istio.version = "${env.istio.version}": the sidecar injector reproduces Istio ${ISTIO_RELEASE}'s injection ` +
        "template; add that release's template to the injector before using it",
    );
  }
  return new SidecarInjector({
    proxyImage: env.injection.proxyImage,
    revision: env.istio.revision,
    nativeSidecars: env.injection.nativeSidecars,
    cni: env.injection.cni,
  });
}

/** Runs the pass over each chart's objects; returns new lists (the inputs are not changed). */
export function injectSidecars(env: Environment, charts: readonly ChartManifests[]): ChartManifests[] {
  const settings = injectionSettings(env);
  const injector = settings.mode === 'off' ? undefined : sidecarInjectorFor(env);
  const inject = (m: Manifest): Manifest =>
    settings.mode === 'manual' && injector ? (injector.inject(m as KubeObject).object as Manifest) : m;
  const out = charts.map((chart) => ({ ...chart, manifests: chart.manifests.map(inject) }));
  const level = podSecurityLevel(settings);
  if (level === 'privileged') return out; // nothing to check
  const problems: string[] = [];
  for (const manifest of out.flatMap((chart) => chart.manifests as KubeObject[])) {
    const namespace = manifest.metadata?.namespace;
    if (!isWorkload(manifest) || (namespace !== undefined && namespace !== env.namespace)) continue;
    // in auto mode the pod runs with the sidecar the cluster's webhook adds: check that pod
    const running = settings.mode === 'auto' && injector ? injector.inject(manifest).object : manifest;
    const pod = podTemplateOf(running);
    for (const violation of podSecurityViolations(pod, level))
      problems.push(`${pod.description}: ${violation.field}: ${violation.message}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `namespace "${env.namespace}" is labelled for the Pod Security level "${level}" (injection ${settings.mode}` +
        `${settings.cni ? ', CNI' : ''}), which these pods would break:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return out;
}
