import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  type GatewaySpecListeners,
} from '../../imports/gateway.networking.k8s.io';
import { Problems, wholeNumberProblem } from './value-checks';

/** One listener of a Gateway: where it accepts connections, and which routes may attach to it. */
export interface GatewayListener {
  /** Name of the listener, which routes name as their parent's `sectionName`; a DNS label, unique in the Gateway. */
  readonly name: string;
  readonly port: number;
  /** `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`, or one of the implementation's own (Istio's waypoints listen on `HBONE`). */
  readonly protocol: string;
  /**
   * The host the listener serves (a DNS name, or one under a leading `*.`).
   * @default - any host
   */
  readonly hostname?: string;
  /**
   * Terminate TLS with the certificate in this `kubernetes.io/tls` Secret, in the Gateway's namespace (HTTPS, TLS).
   * @default - no TLS
   */
  readonly certificateSecret?: string;
  /**
   * Namespaces whose routes may attach: the Gateway's own (`Same`) or any (`All`).
   * @default 'Same'
   */
  readonly allowedRoutesFrom?: 'Same' | 'All';
}

export interface KubernetesGatewayProps {
  /** Name of the Gateway; Istio names what it deploys for it `<name>-<class>`. */
  readonly name: string;
  /**
   * Namespace of the Gateway (and of what Istio deploys for it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The GatewayClass: `istio` for an ingress gateway Istio deploys, `istio-waypoint` for a waypoint.
   * @default 'istio'
   */
  readonly gatewayClassName?: string;
  /** Where the Gateway listens; at least one. */
  readonly listeners: readonly GatewayListener[];
  /**
   * IP addresses the Gateway asks for (Istio gives the first to its LoadBalancer Service as `loadBalancerIP`).
   * @default - none: the implementation assigns one
   */
  readonly addresses?: readonly string[];
  /**
   * Labels of the Gateway (for example `istio.io/waypoint-for` on a waypoint).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * A Kubernetes Gateway API `Gateway` (gateway.networking.k8s.io/v1): listeners, the routes they admit, and the
 * addresses asked for. With class `istio`, istiod deploys the gateway itself (Deployment, Service and ServiceAccount
 * `<name>-istio` in the Gateway's namespace); no gateway chart is installed for it.
 *
 * Every value is checked first; a bad one stops the synth with an error naming the Gateway and the value.
 */
export class KubernetesGateway extends Construct {
  public readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: KubernetesGatewayProps) {
    super(scope, id);
    checkGateway(props);
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? Chart.of(this).namespace,
        labels: props.labels && { ...props.labels },
      },
      spec: {
        gatewayClassName: props.gatewayClassName ?? 'istio',
        addresses: props.addresses?.map((value) => ({ type: 'IPAddress', value })),
        listeners: props.listeners.map(toListener),
      },
    });
  }
}

function toListener(listener: GatewayListener): GatewaySpecListeners {
  return {
    name: listener.name,
    port: listener.port,
    protocol: listener.protocol,
    hostname: listener.hostname,
    tls: listener.certificateSecret
      ? {
          mode: GatewaySpecListenersTlsMode.TERMINATE,
          certificateRefs: [{ kind: 'Secret', name: listener.certificateSecret }],
        }
      : undefined,
    allowedRoutes: {
      namespaces: {
        from:
          listener.allowedRoutesFrom === 'All'
            ? GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL
            : GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME,
      },
    },
  };
}

function checkGateway(props: KubernetesGatewayProps): void {
  const problems = new Problems(`Invalid Gateway "${props.name}"`);
  const at = `Gateway "${props.name}"`;
  problems.check(`${at} name`, props.name, DNS_LABEL.test(props.name) ? undefined : 'must be a DNS label');
  if (props.listeners.length === 0) problems.add(`${at}: has no listeners; give at least one`);
  if (props.listeners.length > 64) problems.add(`${at}: has ${props.listeners.length} listeners; at most 64`);
  const names = props.listeners.map((l) => l.name);
  names
    .filter((n, i) => names.indexOf(n) !== i)
    .forEach((n) => problems.add(`${at}: names listener "${n}" twice; listener names must be unique`));
  for (const listener of props.listeners) {
    const where = `${at} listener "${listener.name}"`;
    problems.check(`${where} name`, listener.name, DNS_LABEL.test(listener.name) ? undefined : 'must be a DNS label');
    problems.check(`${where} port`, listener.port, wholeNumberProblem(listener.port, 1, 65535));
    if (listener.hostname !== undefined)
      problems.check(
        `${where} hostname`,
        listener.hostname,
        HOSTNAME.test(listener.hostname) ? undefined : 'must be a DNS name, or one after "*." (leave it out for any)',
      );
    if (listener.certificateSecret !== undefined && !['HTTPS', 'TLS'].includes(listener.protocol))
      problems.add(`${where}: a certificate needs protocol HTTPS or TLS, not ${listener.protocol}`);
    if (listener.protocol === 'HTTPS' && listener.certificateSecret === undefined)
      problems.add(`${where}: protocol HTTPS terminates TLS; give the certificate's Secret`);
  }
  for (const address of props.addresses ?? [])
    problems.check(`${at} address`, address, IPV4.test(address) ? undefined : 'must be an IPv4 address');
  problems.throwIfAny();
}
