import type { PodSecurityLevel } from '../pod-security/pod-security-standards';

/** The injection settings that decide a namespace's labels. */
export interface InjectionLabelSettings {
  /** `manual`: sidecars in the manifests; `auto`: the cluster's webhook injects; `off`: no sidecars. */
  readonly mode: 'manual' | 'auto' | 'off';
  /** The Istio CNI plugin sets up redirection, so no container needs NET_ADMIN or NET_RAW. */
  readonly cni: boolean;
  /** Control plane revision, for `istio.io/rev`. */
  readonly revision?: string;
  /**
   * The revision tag the namespace is on (`istio.io/rev: <tag>`), in `manual` and `auto`: the control plane the
   * namespace points at. In `manual` the tag's webhook re-injects the synth's pods (it strips a sidecar it finds and
   * renders its own, pkg/kube/inject stripPod), which gives the same sidecar as long as the synth rendered the
   * release behind the tag (what `npm run precheck` checks).
   * @default - none
   */
  readonly revisionTag?: string;
}

/**
 * The Pod Security Standards level the namespace's pods meet:
 * - a sidecar set up by istio-init adds NET_ADMIN and NET_RAW, which only `privileged` allows (baseline does not);
 * - with the CNI plugin (istio-validation instead) or without sidecars, the pods can meet `restricted`.
 * The injection pass checks every pod against this level before anything is written.
 */
export function podSecurityLevel(settings: InjectionLabelSettings): PodSecurityLevel {
  return settings.mode !== 'off' && !settings.cni ? 'privileged' : 'restricted';
}

/**
 * The labels that injection needs on the namespace:
 * - on a revision tag (`manual`, `auto`): `istio.io/rev: <tag>`; the tag's webhook re-injects synth-time sidecars
 *   with the release behind the tag, the one the synth rendered;
 * - `auto`: `istio-injection: enabled`, or `istio.io/rev: <revision>` for a revisioned control plane (the two must
 *   not be combined: `istio-injection` would win);
 * - `manual` and `off`: `istio-injection: disabled`, so that a webhook enabled for every namespace leaves the pods
 *   as they are (already injected, or deliberately without a sidecar);
 * - the Pod Security Admission labels (enforce, audit, warn) for the level the pods meet.
 */
export function injectionNamespaceLabels(settings: InjectionLabelSettings): Record<string, string> {
  const labels: Record<string, string> = {};
  if (settings.revisionTag && settings.mode !== 'off') labels['istio.io/rev'] = settings.revisionTag;
  else if (settings.mode === 'auto' && settings.revision) labels['istio.io/rev'] = settings.revision;
  else labels['istio-injection'] = settings.mode === 'auto' ? 'enabled' : 'disabled';
  const level = podSecurityLevel(settings);
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
  }
  return labels;
}
