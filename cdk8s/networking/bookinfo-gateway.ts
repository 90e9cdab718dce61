import { Construct } from 'constructs';
import { BOOKINFO_GATEWAY_NAME, BOOKINFO_PORT, ConfigError, type IngressGatewayProfile } from '../../config';
import {
  Gateway,
  GatewaySpecServersTlsMode,
  VirtualService,
  type GatewaySpecServers,
} from '../../imports/networking.istio.io';

export interface BookinfoGatewayProps {
  /** Namespace of the Gateway and its VirtualService (Bookinfo's). */
  readonly namespace: string;
  /** The control plane's ingress gateway: the Gateway selects its labels and serves on its Service ports. */
  readonly ingressGateway: IngressGatewayProfile;
  /**
   * Hosts served.
   * @default ['*']
   */
  readonly hosts?: readonly string[];
  /**
   * Serve HTTPS with the certificate in this Secret (in the ingress gateway's namespace) and redirect HTTP to it.
   * @default - HTTP only
   */
  readonly httpsCredentialName?: string;
}

/** The tutorial's request paths, all served by productpage (upstream bookinfo-gateway.yaml). */
export const TUTORIAL_PATHS = [
  { exact: '/productpage' },
  { prefix: '/static' },
  { exact: '/login' },
  { exact: '/logout' },
  { prefix: '/api/v1/products' },
] as const;

/**
 * The tutorial's way in (upstream bookinfo-gateway.yaml): the Gateway `bookinfo-gateway` on the control plane's
 * ingress gateway, and the VirtualService `bookinfo` that sends the tutorial's paths to productpage.
 */
export class BookinfoGateway extends Construct {
  /** Name of the Gateway, as VirtualServices bound to it name it. */
  public static readonly GATEWAY_NAME = BOOKINFO_GATEWAY_NAME;

  public readonly gateway: Gateway;
  public readonly virtualService: VirtualService;

  constructor(scope: Construct, id: string, props: BookinfoGatewayProps) {
    super(scope, id);
    const hosts = [...(props.hosts ?? ['*'])];
    const servers: GatewaySpecServers[] = [
      {
        port: { number: servicePort(props.ingressGateway, 'http2'), name: 'http', protocol: 'HTTP' },
        hosts,
        tls: props.httpsCredentialName ? { httpsRedirect: true } : undefined,
      },
    ];
    if (props.httpsCredentialName) {
      servers.push({
        port: { number: servicePort(props.ingressGateway, 'https'), name: 'https', protocol: 'HTTPS' },
        hosts,
        tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: props.httpsCredentialName },
      });
    }
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: BookinfoGateway.GATEWAY_NAME, namespace: props.namespace },
      spec: { selector: { ...props.ingressGateway.labels }, servers },
    });
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: { name: 'bookinfo', namespace: props.namespace },
      spec: {
        hosts,
        gateways: [BookinfoGateway.GATEWAY_NAME],
        http: [
          {
            match: TUTORIAL_PATHS.map((uri) => ({ uri: { ...uri } })),
            route: [{ destination: { host: 'productpage', port: { number: BOOKINFO_PORT } } }],
          },
        ],
      },
    });
  }
}

/** The port of the ingress gateway's Service with this name: a Gateway server's port is the Service port. */
export function servicePort(gateway: IngressGatewayProfile, name: string): number {
  const port = gateway.ports.find((p) => p.name === name);
  if (!port) {
    throw new ConfigError(
      `ingress gateway "${gateway.name}" has no Service port named "${name}" (ports: ${gateway.ports.map((p) => p.name).join(', ')})`,
    );
  }
  return port.port;
}
