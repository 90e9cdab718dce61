import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import type { Manifest } from '../../kube/object';
import type { Environment } from '../../config';

/** Every Kubernetes object an environment synthesizes, in apply order. */
export function objectsOf(env: Environment): Manifest[] {
  return synthesizeKubernetes(env).flatMap((chart) => chart.manifests);
}

/** The objects of one kind, keyed by name. */
export function byName(manifests: readonly Manifest[], kind: string): Map<string, Manifest> {
  return new Map(manifests.filter((m) => m.kind === kind).map((m) => [m.metadata.name!, m]));
}

/** The one object of this kind and name (typed loosely: tests read into its spec). */
export function findObject(manifests: readonly Manifest[], kind: string, name: string): Manifest & { spec: any } {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} "${name}", found ${found.length}`);
  return found[0] as Manifest & { spec: any };
}
