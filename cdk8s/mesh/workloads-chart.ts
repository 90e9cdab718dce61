import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceRecord } from '../../config/services';
import { MeshService } from './mesh-service';

export interface WorkloadsChartProps extends ChartProps {
  /** The namespace every object is written into. */
  readonly namespace: string;
  /** The services that run, in the order their objects are written (the catalogue's). */
  readonly services: readonly ServiceRecord[];
}

/**
 * The workloads of the mesh: a MeshService (Service, ServiceAccounts, hardened Deployments) for every service of the
 * catalogue. Bookinfo's records reproduce upstream's samples/bookinfo/platform/kube manifests; a team's own come from
 * the environment's `services`.
 */
export class WorkloadsChart extends Chart {
  /** The services, by name, for the charts that route and authorize them. */
  public readonly services: ReadonlyMap<string, MeshService>;

  constructor(scope: Construct, id: string, props: WorkloadsChartProps) {
    super(scope, id, props);
    this.services = new Map(
      props.services.map((record) => [
        record.name,
        new MeshService(this, record.name, {
          ports: record.ports,
          labels: record.labels,
          annotations: record.annotations,
          versions: record.versions,
        }),
      ]),
    );
  }
}
