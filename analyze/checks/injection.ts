import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import type { Mesh } from '../mesh';
import { type PodModel } from '../../kube/object-index';
import { labelsOf, rec, str } from '../../kube/object';
import { SYSTEM_NAMESPACES } from '../../kube/sidecar-injection';

export const NAMESPACE_NOT_INJECTED: MessageType = messageType('IST0102');

export const POD_MISSING_PROXY: MessageType = messageType('IST0103');

export const MULTIPLE_INJECTION_LABELS: MessageType = messageType('IST0123');

export const INJECTION_ENABLED_BY_DEFAULT: MessageType = messageType('IST0148');

/**
 * Workloads that would run without a sidecar under the injection mode (istioctl's injection Analyzer, read for
 * manifests that are not yet applied):
 * - `manual`: the sidecar must be in the manifest, so a pod template without istio-proxy is missing it;
 * - `auto`: the webhook injects pods of namespaces labelled `istio-injection=enabled` or `istio.io/rev`, and pods
 *   labelled `sidecar.istio.io/inject=true`; a namespace with neither label is IST0102 and its pods IST0103
 *   (only namespaces among the manifests are judged: another namespace's labels are unknown);
 * - `off`: no sidecars are expected.
 * Deliberate exceptions are left alone, as istioctl does: pods opted out with `sidecar.istio.io/inject: "false"`,
 * namespaces labelled `istio-injection=disabled`, host-network pods, system namespaces and the root namespace.
 */
export const injection: Check = {
  description: 'Namespaces and pods that would run without a sidecar under the injection mode',
  messages: [NAMESPACE_NOT_INJECTED, POD_MISSING_PROXY, MULTIPLE_INJECTION_LABELS, INJECTION_ENABLED_BY_DEFAULT],
  run(mesh, report) {
    for (const [name, namespace] of mesh.namespaces) {
      if (name === 'istio-system') continue;
      const labels = labelsOf(rec(namespace.manifest.metadata).labels);
      const injection = labels['istio-injection'];
      const opting = [
        ...(injection !== undefined ? [`istio-injection=${injection}`] : []),
        ...['istio.io/rev', 'istio.io/dataplane-mode']
          .filter((l) => labels[l] !== undefined && (injection === undefined || injection === 'enabled'))
          .map((l) => `${l}=${labels[l]}`),
      ];
      if (opting.length > 1)
        report(MULTIPLE_INJECTION_LABELS, namespace, formatMessage(MULTIPLE_INJECTION_LABELS, opting), [
          'metadata',
          'labels',
        ]);
    }
    if (mesh.injection === 'off') return;
    const exempt = (namespace: string) => SYSTEM_NAMESPACES.has(namespace) || namespace === mesh.rootNamespace;
    if (mesh.injection === 'auto') {
      for (const [name, namespace] of mesh.namespaces) {
        const labels = labelsOf(rec(namespace.manifest.metadata).labels);
        if (exempt(name) || labels['istio-injection'] !== undefined || labels['istio.io/rev'] !== undefined) continue;
        if (labels['istio.io/dataplane-mode'] === 'ambient') continue;
        if (enabledByDefault(mesh)) {
          report(INJECTION_ENABLED_BY_DEFAULT, namespace, formatMessage(INJECTION_ENABLED_BY_DEFAULT));
          continue;
        }
        report(
          NAMESPACE_NOT_INJECTED,
          namespace,
          `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${name} istio-injection=enabled' to enable it, or 'kubectl label namespace ${name} istio-injection=disabled' to explicitly mark it as not needing injection.`,
        );
      }
    }
    for (const workload of mesh.workloads) {
      // ztunnel carries an ambient pod's traffic: it needs no proxy of its own
      if (!workload.object || exempt(workload.namespace) || optedOut(workload) || mesh.inAmbient(workload)) continue;
      // a bare Pod is taken as istioctl takes it, already admitted: in an injected namespace it should have its proxy
      const admittedWithout =
        workload.kind === 'Pod' &&
        !workload.proxyInManifest &&
        mesh.index.namespaceLabels(workload.namespace)['istio-injection'] === 'enabled';
      if (workload.inMesh && !admittedWithout) continue;
      const namespace = mesh.namespaces.get(workload.namespace);
      if (mesh.injection === 'auto') {
        if (!namespace || labelsOf(rec(namespace.manifest.metadata).labels)['istio-injection'] === 'disabled') continue;
      }
      const why = admittedWithout
        ? `its namespace is labelled istio-injection=enabled but the pod has no istio-proxy container (created before the label, or the webhook was down)`
        : mesh.injection === 'manual'
          ? 'its pod template has no istio-proxy container and injection is manual (at synth time)'
          : `injection is automatic but namespace ${workload.namespace} is not labelled for it`;
      report(
        POD_MISSING_PROXY,
        workload.object,
        `The pod ${workload.namespace}/${workload.name} is missing the Istio proxy: ${why}.`,
        [...workload.templatePath],
      );
    }
  },
};

/**
 * `sidecarInjectorWebhook.enableNamespacesByDefault` of the injector's values, as the `values` of the
 * istio-sidecar-injector ConfigMap among the manifests say.
 */
function enabledByDefault(mesh: Mesh): boolean {
  const configMap = mesh.index.ofKind('ConfigMap').find((o) => o.ref.name === 'istio-sidecar-injector');
  const values = str(rec(configMap?.manifest.data).values);
  if (!values) return false;
  try {
    return rec(rec(JSON.parse(values)).sidecarInjectorWebhook).enableNamespacesByDefault === true;
  } catch {
    return false;
  }
}

function optedOut(workload: PodModel): boolean {
  const choice = workload.labels['sidecar.istio.io/inject'] ?? workload.annotations['sidecar.istio.io/inject'];
  return choice?.toLowerCase() === 'false' || workload.hostNetwork;
}
