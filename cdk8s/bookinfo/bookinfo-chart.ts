import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  BOOKINFO_DATABASES,
  BOOKINFO_PORT,
  bookinfoResources,
  bookinfoWorkloads,
  type BookinfoConfig,
  type BookinfoWorkload,
} from '../../config';
import { BookinfoService } from './bookinfo-service';
import { upstreamWorkload } from './upstream-workloads';

export interface BookinfoChartProps extends ChartProps {
  /** The namespace every object is written into. */
  readonly namespace: string;
  /** The validated Bookinfo configuration of the environment. */
  readonly bookinfo: BookinfoConfig;
}

/**
 * Istio's Bookinfo sample (samples/bookinfo/platform/kube/bookinfo.yaml of Istio 1.30.3 and its variants): the four
 * services with the configured versions, the databases that database-backed ratings versions need, replicas, images,
 * labels and annotations from config, each pod hardened to the Pod Security Standards' restricted level.
 */
export class BookinfoChart extends Chart {
  /** Every Deployment of this chart, in the order written. */
  public readonly workloads: readonly BookinfoWorkload[];

  constructor(scope: Construct, id: string, props: BookinfoChartProps) {
    super(scope, id, props);
    const config = props.bookinfo;
    this.workloads = bookinfoWorkloads(config.versions);

    for (const app of new Set(this.workloads.map((w) => w.app))) {
      const database = app === 'mongodb' || app === 'mysqldb' ? BOOKINFO_DATABASES[app] : undefined;
      new BookinfoService(this, app, {
        app,
        port: database?.port ?? BOOKINFO_PORT,
        portName: database?.portName ?? 'http',
        labels: config.labels,
        annotations: config.annotations,
        deployments: this.workloads
          .filter((w) => w.app === app)
          .map((workload) => ({
            workload,
            upstream: upstreamWorkload(workload, config),
            // A database keeps its data in an emptyDir, which replicas cannot share: always one.
            replicas: database ? 1 : (config.replicasByDeployment[workload.deployment] ?? config.replicas),
            resources: bookinfoResources(config, workload),
            podAnnotations: config.podAnnotations,
          })),
      });
    }
  }
}
