import type { MeshMode } from './schema';

/** A port of the ingress gateway's Service. */
export interface GatewayServicePort {
  readonly name: string;
  /** Port the Service exposes (what a Gateway server's `port.number` names). */
  readonly port: number;
  /** Port the gateway container listens on. */
  readonly targetPort: number;
}

/** The ingress gateway a control plane runs, as Gateways and VirtualServices must address it. */
export interface IngressGatewayProfile {
  /** Name of the gateway's Deployment and Service. */
  readonly name: string;
  readonly namespace: string;
  /** Pod labels a Gateway's `selector` matches. */
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly GatewayServicePort[];
  /** Service account the gateway's pods run as: its identity in authorization policies. */
  readonly serviceAccount: string;
}

/** How workloads get their sidecars: in dist/ (`manual`), from the cluster's webhook (`auto`), or not at all. */
export type InjectionMode = 'manual' | 'auto' | 'off';

/** What a mesh mode implies for the Kubernetes side. */
export interface MeshProfile {
  readonly ingressGateway: IngressGatewayProfile;
  /** Injection used unless the environment chooses another. */
  readonly defaultInjection: InjectionMode;
  /** The control plane's root namespace: mesh-wide policies (a mesh-wide PeerAuthentication) live there. */
  readonly rootNamespace: string;
}

const ISTIO_INGRESS_LABELS = { app: 'istio-ingressgateway', istio: 'ingressgateway' };

/**
 * The facts each control plane implementation fixes. Both apps read them: the CDKTF side installs (or expects) this
 * gateway, the cdk8s side selects it.
 */
export const MESH_PROFILES: Readonly<Record<MeshMode, MeshProfile>> = {
  // The `gateway` Helm chart installed as `istio-ingressgateway`: labels app=<name>, istio=<name without "istio-">;
  // ports from gateway-values.yaml (the container binds 80 and 443 directly).
  'istio-helm': {
    ingressGateway: {
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
      labels: ISTIO_INGRESS_LABELS,
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021 },
        { name: 'http2', port: 80, targetPort: 80 },
        { name: 'https', port: 443, targetPort: 443 },
      ],
      // The chart's service account is named after the release.
      serviceAccount: 'istio-ingressgateway',
    },
    defaultInjection: 'manual',
    rootNamespace: 'istio-system',
  },
  // The GKE Istio add-on's ingress gateway (its last Istio, 1.6, ran it unprivileged on 8080/8443).
  'gke-istio-addon': {
    ingressGateway: {
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
      labels: ISTIO_INGRESS_LABELS,
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021 },
        { name: 'http2', port: 80, targetPort: 8080 },
        { name: 'https', port: 443, targetPort: 8443 },
      ],
      // The Istio 1.x operator-era gateway's account.
      serviceAccount: 'istio-ingressgateway-service-account',
    },
    defaultInjection: 'auto',
    rootNamespace: 'istio-system',
  },
  // Cloud Service Mesh runs no gateway of its own: the project deploys one with the `gateway` injection template.
  'cloud-service-mesh': {
    ingressGateway: {
      name: 'istio-ingressgateway',
      namespace: 'istio-ingress',
      labels: ISTIO_INGRESS_LABELS,
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021 },
        { name: 'http2', port: 80, targetPort: 8080 },
        { name: 'https', port: 443, targetPort: 8443 },
      ],
      // Assumes the project's gateway runs under an account named after it, as the `gateway` chart does.
      serviceAccount: 'istio-ingressgateway',
    },
    defaultInjection: 'auto',
    rootNamespace: 'istio-system',
  },
};
