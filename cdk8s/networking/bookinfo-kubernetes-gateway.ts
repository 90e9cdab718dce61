import { Construct } from 'constructs';
import { BOOKINFO_GATEWAY_NAME, BOOKINFO_PORT } from '../../config';
import { TUTORIAL_PATHS } from './bookinfo-gateway';
import { KubernetesGateway, type GatewayListener } from './kubernetes-gateway';
import { KubernetesHttpRoute } from './kubernetes-http-route';

export interface BookinfoKubernetesGatewayProps {
  /** Namespace of the Gateway, its routes and productpage (Bookinfo's): the listeners admit routes of this one only. */
  readonly namespace: string;
  /**
   * Port of the HTTP listener (and of the Service Istio runs for the Gateway).
   * @default 80
   */
  readonly httpPort?: number;
  /**
   * Port of the HTTPS listener, with `httpsCredentialName`.
   * @default 443
   */
  readonly httpsPort?: number;
  /**
   * Hosts served; `*` is any host.
   * @default ['*']
   */
  readonly hosts?: readonly string[];
  /**
   * Serve HTTPS with the certificate in this Secret (in `namespace`, the Gateway's) and redirect HTTP to it.
   * @default - HTTP only
   */
  readonly httpsCredentialName?: string;
  /**
   * The address the Gateway asks for: the reserved static IP.
   * @default - none: Istio's Service gets an ephemeral address
   */
  readonly address?: string;
}

/**
 * The tutorial's way in, in the Kubernetes Gateway API (upstream samples/bookinfo/gateway-api/bookinfo-gateway.yaml):
 * the Gateway `bookinfo-gateway` of class `istio`, whose gateway istiod deploys in Bookinfo's namespace, and the
 * HTTPRoute `bookinfo` that sends the tutorial's paths to productpage. With HTTPS, the HTTP listener only redirects.
 */
export class BookinfoKubernetesGateway extends Construct {
  public readonly gateway: KubernetesGateway;
  /** The route to productpage, then the HTTP-to-HTTPS redirect if any. */
  public readonly routes: KubernetesHttpRoute[] = [];

  constructor(scope: Construct, id: string, props: BookinfoKubernetesGatewayProps) {
    super(scope, id);
    const { namespace } = props;
    const hosts = props.hosts ?? ['*'];
    // `*` is every host: a listener or route says so by naming none.
    const hostnames = hosts.includes('*') ? undefined : hosts;
    const listeners: GatewayListener[] = [{ name: 'http', port: props.httpPort ?? 80, protocol: 'HTTP' }];
    if (props.httpsCredentialName) {
      listeners.push({
        name: 'https',
        port: props.httpsPort ?? 443,
        protocol: 'HTTPS',
        certificateSecret: props.httpsCredentialName,
      });
    }
    this.gateway = new KubernetesGateway(this, 'Gateway', {
      name: BOOKINFO_GATEWAY_NAME,
      namespace,
      listeners,
      addresses: props.address === undefined ? undefined : [props.address],
    });
    const https = props.httpsCredentialName !== undefined;
    this.routes.push(
      new KubernetesHttpRoute(this, 'Route', {
        name: 'bookinfo',
        namespace,
        parents: [{ kind: 'Gateway', name: BOOKINFO_GATEWAY_NAME, sectionName: https ? 'https' : undefined }],
        hostnames,
        rules: [
          {
            matches: TUTORIAL_PATHS.map((path) =>
              'exact' in path
                ? { path: { type: 'Exact', value: path.exact } }
                : { path: { type: 'PathPrefix', value: path.prefix } },
            ),
            backends: [{ service: 'productpage', port: BOOKINFO_PORT }],
          },
        ],
      }),
    );
    if (https) {
      this.routes.push(
        new KubernetesHttpRoute(this, 'HttpsRedirect', {
          name: 'bookinfo-https-redirect',
          namespace,
          parents: [{ kind: 'Gateway', name: BOOKINFO_GATEWAY_NAME, sectionName: 'http' }],
          hostnames,
          rules: [{ redirect: { scheme: 'https', statusCode: 301 } }],
        }),
      );
    }
  }
}
