/**
 * Chart values that keep a component serving through node upgrades and repairs: at least two replicas (the
 * autoscaler's floor too), a PodDisruptionBudget that lets only one go at a time, and replicas spread across nodes
 * (and, in a regional cluster, zones).
 */

/** Replicas of istiod and of the ingress gateway. */
export const HA_REPLICAS = 2;

/**
 * Spread over nodes (required: two replicas never share a node while another node can take one; cordoned nodes
 * do not count) and over zones (preferred: a zonal cluster has one).
 */
export function spreadAcrossNodes(labels: Readonly<Record<string, string>>): Record<string, unknown>[] {
  // A fresh object each time, so that the values YAML repeats it rather than aliasing it.
  const labelSelector = () => ({ matchLabels: { ...labels } });
  return [
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
      nodeTaintsPolicy: 'Honor',
      labelSelector: labelSelector(),
    },
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: labelSelector(),
    },
  ];
}
