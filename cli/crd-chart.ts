import { isMap, isScalar, parseAllDocuments } from 'yaml';

/**
 * Helm's annotation that keeps a resource when its release is uninstalled, replaced or rolled back without it
 * (`helm.sh/resource-policy: keep`): Istio's base chart puts it on every Istio CRD.
 */
export const HELM_RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';

/**
 * CRDs (a multi-document YAML file, as upstream ships it) with Helm's `helm.sh/resource-policy: keep` as the first
 * annotation of each CustomResourceDefinition, like Istio's base chart: uninstalling the chart then leaves the CRDs,
 * and with them every object of their kinds, in the cluster. The text is otherwise left as written: one line is
 * inserted per CRD, where the yaml parser says its annotations begin.
 * @throws Error naming a CRD that has no block map of annotations to add to
 */
export function keepOnUninstall(text: string): string {
  const inserts: { offset: number; line: string }[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.get('kind') !== 'CustomResourceDefinition') continue;
    const annotations = doc.getIn(['metadata', 'annotations'], true);
    const first = isMap(annotations) && !annotations.flow ? annotations.items[0]?.key : undefined;
    if (!isMap(annotations) || !isScalar(first) || !first.range) {
      throw new Error(
        `CRD ${String(doc.getIn(['metadata', 'name']))} has no block map of metadata.annotations to add ` +
          `${HELM_RESOURCE_POLICY_ANNOTATION} to`,
      );
    }
    if (annotations.has(HELM_RESOURCE_POLICY_ANNOTATION)) continue;
    const offset = first.range[0];
    const indent = ' '.repeat(offset - text.lastIndexOf('\n', offset - 1) - 1);
    inserts.push({ offset, line: `${HELM_RESOURCE_POLICY_ANNOTATION}: keep\n${indent}` });
  }
  let out = text;
  for (const { offset, line } of inserts.reverse()) out = out.slice(0, offset) + line + out.slice(offset);
  return out;
}
