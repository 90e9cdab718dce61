import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface VersionServicesProps {
  /** The service (its pods are labelled `app: <service>`). */
  readonly service: string;
  /** Its versions (pods labelled `version: <v>`); each gets a Service `<service>-<v>`. */
  readonly versions: readonly string[];
  /** The service's ports, which every version's Service exposes the same. */
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  /** @default - the chart's namespace */
  readonly namespace?: string;
}

/**
 * A Service per version of a service (`reviews-v1` selects `app: reviews, version: v1`), as upstream's
 * bookinfo-versions.yaml: what Gateway API routes name to send requests to one version, having no subsets.
 */
export class VersionServices extends Construct {
  public readonly services: k8s.KubeService[];

  constructor(scope: Construct, id: string, props: VersionServicesProps) {
    super(scope, id);
    if (props.versions.length === 0) throw new Error(`VersionServices "${props.service}": versions is empty`);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    this.services = props.versions.map(
      (version) =>
        new k8s.KubeService(this, version, {
          metadata: { name: versionServiceName(props.service, version), namespace },
          spec: {
            ports: props.ports.map(({ name, port }) => ({ name, port })),
            selector: { app: props.service, version },
          },
        }),
    );
  }
}

/** The Service of one version of a service. */
export function versionServiceName(service: string, version: string): string {
  return `${service}-${version}`;
}
