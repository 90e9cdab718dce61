import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { selectorString } from '../hosts';
import { labelsOf, rec, selects, type Labels } from '../../kube/object';
import type { Mesh } from '../mesh';
import { type PodModel } from '../../kube/object-index';

export const UNKNOWN_DESTINATION_RULE_HOST: MessageType = messageType('IST0174');

export const SUBSET_SELECTS_NO_PODS: MessageType = messageType('IST0173');

/**
 * A DestinationRule's host must be a Service or ServiceEntry visible from its namespace, and each of its subsets
 * must select pods (istioctl's SubsetSelectPodAnalyzer). A subset selects among the service's own endpoints: the
 * workloads its Service selects (or its ServiceEntry's workloadSelector selects), filtered by the subset's labels.
 * istioctl matches subset labels against every pod in the cluster; restricting them to the service's endpoints also
 * catches a subset that only another service's pods would satisfy, which routes to nothing all the same.
 * A pod bound to a node also carries its node's topology (region, zone, subzone and hostname), as istiod adds them
 * to endpoints (pilot's AugmentLabels), so that subsets by locality are judged as they route.
 * Hosts without known endpoints (wildcards, ServiceEntries without a workloadSelector) are not checked for subsets.
 */
export const destinationRuleHosts: Check = {
  description: "A DestinationRule's host is a known service and each subset selects some of its pods",
  messages: [UNKNOWN_DESTINATION_RULE_HOST, SUBSET_SELECTS_NO_PODS],
  run(mesh, report) {
    for (const rule of mesh.destinationRules) {
      const target = mesh.resolveHost(rule.host, rule.namespace, rule.exportTo);
      if (!target) {
        report(
          UNKNOWN_DESTINATION_RULE_HOST,
          rule.object,
          `The host ${rule.host} defined in the DestinationRule does not match any services in the mesh.`,
          ['spec', 'host'],
        );
        continue;
      }
      if (rule.host.startsWith('*') || rule.subsets.length === 0) continue;
      let endpoints: readonly PodModel[];
      if (target.kind === 'Service') {
        if (!target.service.selector) continue;
        endpoints = mesh.endpointsOf(target.service);
      } else {
        if (!target.entry.workloadSelector) continue;
        endpoints = mesh.selectWorkloads(target.entry.namespace, target.entry.workloadSelector);
      }
      for (const subset of rule.subsets) {
        if (!endpoints.some((workload) => selects(subset.labels, withTopology(mesh, workload)))) {
          report(
            SUBSET_SELECTS_NO_PODS,
            rule.object,
            `The Subset ${subset.name} defined in the DestinationRule does not select any pods (${selectorString(subset.labels)} among the endpoints of ${rule.host}). Which may lead to 503 UH (NoHealthyUpstream).`,
            subset.path,
          );
        }
      }
    }
  },
};

/** A pod's labels as istiod sees its endpoint: with the topology of the node it runs on. */
function withTopology(mesh: Mesh, pod: PodModel): Labels {
  if (!pod.nodeName) return pod.labels;
  const node = labelsOf(rec(mesh.index.get('Node', undefined, pod.nodeName)?.manifest.metadata).labels);
  const topology: Record<string, string> = { 'kubernetes.io/hostname': pod.nodeName };
  const region = node['topology.kubernetes.io/region'];
  const zone = node['topology.kubernetes.io/zone'];
  const subzone = node['topology.istio.io/subzone'];
  if (region) topology['topology.kubernetes.io/region'] = region;
  if (zone) topology['topology.kubernetes.io/zone'] = zone;
  if (subzone) topology['topology.istio.io/subzone'] = subzone;
  return { ...pod.labels, ...topology };
}
