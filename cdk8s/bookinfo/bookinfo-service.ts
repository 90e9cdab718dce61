import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BookinfoDeployment, type BookinfoDeploymentProps } from './bookinfo-deployment';

export interface BookinfoServiceProps {
  /** The `app` label that the Service selects, and the Service's name. */
  readonly app: string;
  /** The Service's port, the same as the containers'. */
  readonly port: number;
  /** The port's name; Istio reads the protocol from it (`http`, `mongo`, `mysql`). */
  readonly portName: string;
  /** One per version; all must carry `app`. */
  readonly deployments: readonly Omit<BookinfoDeploymentProps, 'port' | 'labels' | 'annotations'>[];
  /**
   * Labels added to every object and pod (never to selectors).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations added to every object's metadata.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A Bookinfo app as upstream lays it out: a Service named after the app selecting `app: <app>` on one port, the
 * ServiceAccounts its versions run as (labelled `account: <name without "bookinfo-">`), and one Deployment per version.
 */
export class BookinfoService extends Construct {
  public readonly service: k8s.KubeService;
  public readonly serviceAccounts: kplus.ServiceAccount[];
  public readonly deployments: BookinfoDeployment[];

  constructor(scope: Construct, id: string, props: BookinfoServiceProps) {
    super(scope, id);
    if (props.deployments.length === 0) throw new Error(`${props.app}: needs at least one Deployment`);
    const stray = props.deployments.find((d) => d.workload.app !== props.app);
    if (stray) {
      throw new Error(`${props.app}: Deployment ${stray.workload.deployment} has app "${stray.workload.app}"; its Service would not select it`);
    }
    const annotations = props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined;

    // The L1 class: cdk8s-plus's Service would add `externalIPs: []` and `type: ClusterIP`, which upstream leaves out.
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: props.app, labels: { ...props.labels, app: props.app, service: props.app }, annotations },
      spec: { ports: [{ port: props.port, name: props.portName }], selector: { app: props.app } },
    });

    // cdk8s-plus fits here: exact names, and it turns off automounting of API tokens, which no Bookinfo app uses.
    const accounts = [...new Set(props.deployments.map((d) => d.workload.serviceAccount))];
    this.serviceAccounts = accounts.map(
      (name) =>
        new kplus.ServiceAccount(this, `ServiceAccount-${name}`, {
          metadata: { name, labels: { ...props.labels, account: name.replace(/^bookinfo-/, '') }, annotations },
        }),
    );

    this.deployments = props.deployments.map(
      (deployment) =>
        new BookinfoDeployment(this, deployment.workload.version, {
          ...deployment,
          port: props.port,
          labels: props.labels,
          annotations: props.annotations,
        }),
    );
  }
}
