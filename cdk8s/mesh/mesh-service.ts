import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DEFAULT_SERVICE_RESOURCES, namedPorts, SERVICE_PROTOCOLS, type ServiceProtocol } from '../../config/services';
import { ServiceDeployment, type ServiceDeploymentProps } from './service-deployment';

/** A port of a mesh service. */
export interface MeshServicePort {
  readonly port: number;
  /**
   * The protocol, which names the port (Istio reads it from the name).
   * @default 'http'
   */
  readonly protocol?: ServiceProtocol;
  /**
   * The port's name; it must start with the protocol.
   * @default - the protocol, with `-<port>` when two ports share it
   */
  readonly name?: string;
}

/** An identity pods run as: a ServiceAccount and its labels. */
export interface MeshIdentityProps {
  readonly serviceAccount: string;
  /**
   * Labels of the ServiceAccount, beside the service's.
   * @default { account: <serviceAccount> }
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A caller's identity as authorization names it: a ServiceAccount in a namespace. */
export interface MeshIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** What routes, DestinationRules and authorization need of a service: a reference that MeshService satisfies. */
export interface IMeshService {
  /** The Service's name, and the `app` label its pods carry. */
  readonly name: string;
  /** The versions that run (the subsets). */
  readonly versions: readonly string[];
  /** The Service's port numbers; the first is the default of a call that names none. */
  readonly ports: readonly number[];
}

/** One version of a mesh service. */
export interface MeshServiceVersion extends Omit<
  ServiceDeploymentProps,
  'app' | 'name' | 'serviceAccountName' | 'ports' | 'replicas' | 'resources' | 'labels' | 'annotations'
> {
  /** @default 1 */
  readonly replicas?: number;
  /** @default DEFAULT_SERVICE_RESOURCES (50m/64Mi requested, 500m/256Mi limits) */
  readonly resources?: ServiceDeploymentProps['resources'];
  /**
   * The identity this version runs as.
   * @default - the service's identity
   */
  readonly identity?: MeshIdentityProps;
}

export interface MeshServiceProps {
  /**
   * The Service's name and the `app` label of its pods.
   * @default - the construct's id
   */
  readonly name?: string;
  /** Ports of the Service and of every version's container. */
  readonly ports: readonly MeshServicePort[];
  /** The versions that run, one Deployment (`<name>-<version>`) each. */
  readonly versions: readonly MeshServiceVersion[];
  /**
   * The identity the versions run as unless a version names its own.
   * @default - a ServiceAccount named after the service
   */
  readonly identity?: MeshIdentityProps;
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
  /**
   * Labels of the Service alone, such as `istio.io/use-waypoint`.
   * @default {}
   */
  readonly serviceLabels?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A service of the mesh: a Service named after it selecting `app: <name>` on its ports (named by protocol), the
 * ServiceAccounts its versions run as, and one hardened Deployment per version (the injection pass adds the sidecar).
 */
export class MeshService extends Construct implements IMeshService {
  public readonly name: string;
  public readonly versions: readonly string[];
  public readonly ports: readonly number[];
  /** The identities its versions run as, for call-graph authorization. */
  public readonly identities: readonly MeshIdentity[];
  public readonly service: k8s.KubeService;
  public readonly serviceAccounts: kplus.ServiceAccount[];
  public readonly deployments: ServiceDeployment[];

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    const at = `MeshService "${this.name}"`;
    if (!DNS_LABEL.test(this.name) || this.name.length > 63) {
      throw new Error(
        `${at}: name = "${this.name}": must be a DNS label (lowercase letters, digits and hyphens, starting with a letter)`,
      );
    }
    if (props.versions.length === 0)
      throw new Error(`${at}: versions is empty; give at least one version with its image`);
    if (props.ports.length === 0) throw new Error(`${at}: ports is empty; give at least one port`);
    const badProtocol = props.ports.find((p) => p.protocol !== undefined && !SERVICE_PROTOCOLS.includes(p.protocol));
    if (badProtocol)
      throw new Error(`${at}: protocol = "${badProtocol.protocol}": must be one of ${SERVICE_PROTOCOLS.join(', ')}`);
    const misnamed = props.ports.find(
      (p) => p.name !== undefined && !new RegExp(`^${p.protocol ?? 'http'}(-|$)`).test(p.name),
    );
    if (misnamed) {
      throw new Error(
        `${at}: port ${misnamed.port} name = "${misnamed.name}": must be "${misnamed.protocol ?? 'http'}" or start with "${misnamed.protocol ?? 'http'}-", so that Istio reads its protocol`,
      );
    }
    const versionNames = props.versions.map((v) => v.version);
    const twice = versionNames.find((v, i) => versionNames.indexOf(v) !== i);
    if (twice) throw new Error(`${at}: version "${twice}" is given twice; each version is one Deployment`);
    this.versions = versionNames;
    this.ports = props.ports.map((p) => p.port);

    const annotations =
      props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined;
    const named = namedPorts(props.ports.map(({ port, protocol = 'http' }) => ({ port, protocol })));
    const ports = props.ports.map(({ port, name }, i) => ({ port, name: name ?? named[i].name }));
    // The L1 class: cdk8s-plus's Service would add `externalIPs: []` and `type: ClusterIP`, which upstream leaves out.
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: {
        name: this.name,
        labels: { ...props.labels, ...props.serviceLabels, app: this.name, service: this.name },
        annotations,
      },
      spec: { ports, selector: { app: this.name } },
    });

    const identityOf = (version: MeshServiceVersion): MeshIdentityProps =>
      version.identity ?? props.identity ?? { serviceAccount: this.name };
    const identities = [...new Map(props.versions.map((v) => [identityOf(v).serviceAccount, identityOf(v)])).values()];
    // cdk8s-plus fits here: exact names, and it turns off automounting of API tokens, which no app of the mesh needs.
    this.serviceAccounts = identities.map(
      ({ serviceAccount, labels }) =>
        new kplus.ServiceAccount(this, `ServiceAccount-${serviceAccount}`, {
          metadata: {
            name: serviceAccount,
            labels: { ...props.labels, ...(labels ?? { account: serviceAccount }) },
            annotations,
          },
        }),
    );
    const namespace = Chart.of(this).namespace ?? 'default';
    this.identities = identities.map(({ serviceAccount }) => ({ namespace, serviceAccount }));

    this.deployments = props.versions.map(
      (version) =>
        new ServiceDeployment(this, version.version, {
          ...version,
          app: this.name,
          serviceAccountName: identityOf(version).serviceAccount,
          ports: this.ports,
          replicas: version.replicas ?? 1,
          resources: version.resources ?? DEFAULT_SERVICE_RESOURCES,
          labels: props.labels,
          annotations: props.annotations,
        }),
    );
  }
}
