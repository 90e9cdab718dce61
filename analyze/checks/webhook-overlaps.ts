import { arr, labelsOf, matchesLabelSelector, rec, str, strings, type Labels } from '../../kube/object';
import type { IndexedObject } from '../../kube/object-index';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const INVALID_WEBHOOK: MessageType = messageType('IST0139');

const NAMESPACE_LABELS: readonly Labels[] = [{}, { 'istio-injection': 'enabled' }, { 'istio-injection': 'disabled' }];
const OBJECT_LABELS: readonly Labels[] = [
  {},
  { 'sidecar.istio.io/inject': 'true' },
  { 'sidecar.istio.io/inject': 'false' },
];

/**
 * Istio's injection webhooks must not overlap (istioctl's webhook.Analyzer): for each way a namespace and a pod can
 * be labelled for injection (none, `istio-injection` enabled or disabled, `sidecar.istio.io/inject` true or false,
 * and `istio.io/rev` for every revision the webhooks name), at most one webhook may select it, or the pod is injected
 * twice. A webhook's service must exist too, where the input shows that namespace's Services.
 */
export const webhookOverlaps: Check = {
  description: "Istio's injection webhooks do not overlap and call a control plane Service that exists",
  messages: [INVALID_WEBHOOK],
  run(mesh, report) {
    const hooks: { key: string; object: IndexedObject; hook: Record<string, unknown> }[] = [];
    const revisions = new Set<string>();
    for (const object of mesh.index.ofKind('MutatingWebhookConfiguration')) {
      const webhooks = arr(object.manifest.webhooks).map(rec);
      const revs = revisionsOf(object, webhooks);
      if (revs.length === 0 && !webhooks.some((w) => (str(w.name) ?? '').endsWith('istio.io'))) continue;
      revs.forEach((r) => revisions.add(r));
      for (const hook of webhooks) hooks.push({ key: `${object.ref.name}/${str(hook.name) ?? ''}`, object, hook });
    }
    const withRevisions = (base: readonly Labels[]) => [
      ...base,
      ...[...revisions].flatMap((rev) => base.map((l) => ({ ...l, 'istio.io/rev': rev }))),
    ];
    for (const ns of withRevisions(NAMESPACE_LABELS)) {
      for (const pod of withRevisions(OBJECT_LABELS)) {
        const matches = hooks.filter(
          ({ hook }) =>
            matchesLabelSelector(hook.namespaceSelector, ns) && matchesLabelSelector(hook.objectSelector, pod),
        );
        const keys = [...new Set(matches.map((m) => m.key))];
        if (keys.length < 2) continue;
        for (const match of matches) {
          const others = keys.filter((k) => k !== match.key).sort();
          report(
            INVALID_WEBHOOK,
            match.object,
            formatMessage(
              INVALID_WEBHOOK,
              `Webhook overlaps with others: ${goList(others)}. This may cause injection to occur twice.`,
            ),
          );
        }
      }
    }
    for (const { object, hook } of hooks) {
      const service = rec(rec(hook.clientConfig).service);
      const [namespace, name] = [str(service.namespace), str(service.name)];
      if (!namespace || !name) continue;
      if (!mesh.index.ofKind('Service').some((s) => s.ref.namespace === namespace)) continue; // that namespace is not in the input
      if (!mesh.index.get('Service', namespace, name)) {
        report(
          INVALID_WEBHOOK,
          object,
          formatMessage(
            INVALID_WEBHOOK,
            `Injector refers to a control plane service that does not exist: ${namespace}/${name}.`,
          ),
        );
      }
    }
  },
};

/** The revisions a webhook configuration serves: its `istio.io/rev` label and its selectors' `istio.io/rev` values. */
function revisionsOf(object: IndexedObject, webhooks: readonly Record<string, unknown>[]): string[] {
  const revs = new Set<string>();
  const own = labelsOf(object.manifest.metadata.labels)['istio.io/rev'];
  if (own !== undefined) revs.add(own);
  for (const hook of webhooks) {
    for (const selector of [rec(hook.namespaceSelector), rec(hook.objectSelector)]) {
      const value = labelsOf(selector.matchLabels)['istio.io/rev'];
      if (value !== undefined) revs.add(value);
      for (const e of arr(selector.matchExpressions))
        if (rec(e).key === 'istio.io/rev') strings(rec(e).values).forEach((v) => revs.add(v));
    }
  }
  return [...revs];
}

/** A list as Go's `%v` prints it: `[a b]`. */
const goList = (items: readonly string[]) => `[${items.join(' ')}]`;
