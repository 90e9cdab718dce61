import { App } from 'cdk8s';
import { WorkloadsChart } from '../../../cdk8s/mesh/workloads-chart';
import type { Manifest } from '../../../kube/object';
import { serviceCatalogue, type BookinfoInput, type Environment, type EnvironmentInput } from '../../../config';
import { defaultEnvironment } from '../../helpers/environments';

/** The default environment with its Bookinfo section changed. */
export function environmentWith(
  bookinfo: BookinfoInput = {},
  change: (e: EnvironmentInput) => EnvironmentInput = (e) => e,
): Environment {
  return defaultEnvironment((e) => change({ ...e, bookinfo: { ...e.bookinfo, ...bookinfo } }));
}

/** The workloads chart's own objects (before any pass over the app's output), for a Bookinfo configuration. */
export function bookinfoManifests(
  bookinfo: BookinfoInput = {},
  change?: (e: EnvironmentInput) => EnvironmentInput,
): Manifest[] {
  const env = environmentWith(bookinfo, change);
  const chart = new WorkloadsChart(new App(), 'workloads', {
    namespace: env.namespace,
    services: serviceCatalogue(env).services,
  });
  return chart.toJson() as Manifest[];
}

/** A Deployment's pod template, typed loosely for assertions. */
export type PodTemplate = {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: any;
};

export const ofKind = (manifests: readonly Manifest[], kind: string) =>
  manifests.filter((m) => m.kind === kind) as any[];
export const named = (manifests: readonly Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name) as any;
  if (!found)
    throw new Error(`no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
};
export const podTemplate = (deployment: any): PodTemplate => deployment.spec.template;
export const containerOf = (deployment: any) => podTemplate(deployment).spec.containers[0];
export const kindsAndNames = (manifests: readonly Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);
