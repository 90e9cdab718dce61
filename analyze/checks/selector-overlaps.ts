import { push, type IndexedObject, type PodModel } from '../../kube/object-index';
import { labelsOf, rec, type Labels } from '../../kube/object';
import type { Check, Report } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { selectorString } from '../hosts';
import type { Mesh } from '../mesh';
import { REFERENCED_RESOURCE_NOT_FOUND } from './virtual-service-references';

export const CONFLICTING_SIDECAR_SELECTORS: MessageType = messageType('IST0110');
export const MULTIPLE_SIDECARS_WITHOUT_SELECTOR: MessageType = messageType('IST0111');
export const INEFFECTIVE_POLICY: MessageType = messageType('IST0167');
export const CONFLICTING_TELEMETRY_SELECTORS: MessageType = messageType('IST0159');
export const MULTIPLE_TELEMETRIES_WITHOUT_SELECTOR: MessageType = messageType('IST0160');

interface Family {
  readonly kind: string;
  /** Where the object's pod selector (matchLabels) is. */
  readonly selector: (spec: Record<string, unknown>) => unknown;
  readonly conflicting: MessageType;
  readonly multiple: MessageType;
  /** A selector-less object counts toward `multiple` only when the selector field is absent altogether (Telemetry). */
  readonly absentOnly: boolean;
  /** Objects that select pods in ambient mode have no effect (Sidecar). */
  readonly ambientIneffective: boolean;
}

const FAMILIES: readonly Family[] = [
  {
    kind: 'Sidecar',
    selector: (spec) => rec(spec.workloadSelector).labels,
    conflicting: CONFLICTING_SIDECAR_SELECTORS,
    multiple: MULTIPLE_SIDECARS_WITHOUT_SELECTOR,
    absentOnly: false,
    ambientIneffective: true,
  },
  {
    kind: 'Telemetry',
    selector: (spec) => rec(spec.selector).matchLabels,
    conflicting: CONFLICTING_TELEMETRY_SELECTORS,
    multiple: MULTIPLE_TELEMETRIES_WITHOUT_SELECTOR,
    absentOnly: true,
    ambientIneffective: false,
  },
];

/**
 * Sidecar and Telemetry resources apply to the pods their selector picks in their namespace, and at most one may
 * apply to a pod (istioctl's sidecar.SelectorAnalyzer, telemetry.SelectorAnalyzer and DefaultSelectorAnalyzer): a
 * selector that picks no pod is IST0101; two that pick one pod are IST0110 / IST0159 on each; two without a selector
 * in one namespace are IST0111 / IST0160 on each. A Sidecar for pods or a namespace in ambient mode has no effect
 * (IST0167).
 */
export const selectorOverlaps: Check = {
  description: 'Sidecar and Telemetry selectors pick pods, and no two apply to one pod or to one whole namespace',
  messages: [
    REFERENCED_RESOURCE_NOT_FOUND,
    CONFLICTING_SIDECAR_SELECTORS,
    MULTIPLE_SIDECARS_WITHOUT_SELECTOR,
    INEFFECTIVE_POLICY,
    CONFLICTING_TELEMETRY_SELECTORS,
    MULTIPLE_TELEMETRIES_WITHOUT_SELECTOR,
  ],
  run(mesh, report) {
    for (const family of FAMILIES) runFamily(mesh, family, report);
  },
};

function runFamily(mesh: Mesh, family: Family, report: Report): void {
  const byPod = new Map<PodModel, IndexedObject[]>();
  const withoutSelector = new Map<string, IndexedObject[]>();
  const ineffective = new Set<IndexedObject>();
  for (const object of mesh.index.ofKind(family.kind)) {
    const spec = rec(object.manifest.spec);
    const raw = family.selector(spec);
    const selector: Labels = labelsOf(raw);
    const namespace = object.ref.namespace ?? '';
    if (Object.keys(selector).length === 0) {
      if (!family.absentOnly || spec.selector === undefined) push(withoutSelector, namespace, object);
      continue;
    }
    const pods = mesh.selectWorkloads(namespace, selector).filter((pod) => pod.object);
    if (pods.length === 0) {
      report(
        REFERENCED_RESOURCE_NOT_FOUND,
        object,
        formatMessage(REFERENCED_RESOURCE_NOT_FOUND, 'selector', selectorString(selector)),
        family.kind === 'Sidecar' ? ['spec', 'workloadSelector'] : ['spec', 'selector'],
      );
    }
    for (const pod of pods) push(byPod, pod, object);
  }
  for (const [pod, objects] of byPod) {
    const ambient = family.ambientIneffective && pod.annotations['ambient.istio.io/redirection'] === 'enabled';
    if (objects.length === 1 && !ambient) continue;
    for (const object of objects) {
      if (ambient) {
        if (!ineffective.has(object))
          report(
            INEFFECTIVE_POLICY,
            object,
            formatMessage(INEFFECTIVE_POLICY, 'selected workload is in ambient mode, the policy has no impact'),
          );
        ineffective.add(object);
        continue;
      }
      report(family.conflicting, object, formatMessage(family.conflicting, names(objects), pod.namespace, pod.name), [
        'metadata',
        'name',
      ]);
    }
  }
  for (const [namespace, objects] of withoutSelector) {
    if (family.ambientIneffective && namespaceInAmbient(mesh.index.namespaceLabels(namespace))) {
      for (const object of objects) {
        if (!ineffective.has(object))
          report(
            INEFFECTIVE_POLICY,
            object,
            formatMessage(INEFFECTIVE_POLICY, 'namespace is in ambient mode, the policy has no impact'),
          );
        ineffective.add(object);
      }
      continue;
    }
    if (objects.length < 2) continue;
    for (const object of objects)
      report(family.multiple, object, formatMessage(family.multiple, names(objects), namespace));
  }
}

/** util.NamespaceInAmbientMode: `istio.io/dataplane-mode: ambient`, unless a sidecar injection label wins. */
export function namespaceInAmbient(labels: Labels): boolean {
  if (labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] ?? '') !== '') return false;
  return labels['istio.io/dataplane-mode'] === 'ambient';
}

const names = (objects: readonly IndexedObject[]) => objects.map((o) => o.ref.name).sort();
