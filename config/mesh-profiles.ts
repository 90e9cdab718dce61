/** How the Istio control plane is installed on the cluster. */
export const MESH_MODES = ['istio-helm', 'gke-istio-addon', 'cloud-service-mesh'] as const;
export type MeshMode = (typeof MESH_MODES)[number];

/**
 * What carries the workloads' traffic: an Envoy sidecar in every pod (`sidecar`), or ztunnel on every node with a
 * waypoint proxy per service that needs L7 (`ambient`).
 */
export const DATAPLANES = ['sidecar', 'ambient'] as const;
export type Dataplane = (typeof DATAPLANES)[number];

export const RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'] as const;
export type ReleaseChannel = (typeof RELEASE_CHANNELS)[number];

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
  /** The ingress gateway; its namespace is the default where the mesh stack installs it (`installsGateway`). */
  readonly ingressGateway: IngressGatewayProfile;
  /** Whether the mesh stack installs the ingress gateway (from Istio's `gateway` chart) into `mesh.gatewayNamespace`. */
  readonly installsGateway: boolean;
  /** Injection used unless the environment chooses another. */
  readonly defaultInjection: InjectionMode;
  /** The control plane's root namespace: mesh-wide policies (a mesh-wide PeerAuthentication) live there. */
  readonly rootNamespace: string;
  /**
   * Whether traffic redirection is set up by the Istio CNI node agent (no privileged `istio-init` container in
   * pods). With `istio-helm` it is the default and can be turned off; the other modes fix it.
   */
  readonly cni: boolean;
  /**
   * The revision (`istio.io/rev`) a Google-managed control plane serves, by GKE release channel; workloads and
   * gateways opt in with that label.
   * @default - no fixed revision: `istio.revision` from config, if any
   */
  readonly managedRevisions?: Readonly<Record<ReleaseChannel, string>>;
  /**
   * Why the control plane cannot run the ambient data plane (`mesh.dataplane: ambient`).
   * @default - it can: the mesh stack installs ztunnel and the CNI node agent in ambient mode
   */
  readonly withoutAmbient?: string;
}

const ISTIO_INGRESS_LABELS = { app: 'istio-ingressgateway', istio: 'ingressgateway' };

/** The Service ports of Istio 1.30's `gateway` chart (gateway-values.yaml `service.ports`). */
const GATEWAY_CHART_PORTS: readonly GatewayServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021 },
  { name: 'http2', port: 80, targetPort: 80 },
  { name: 'https', port: 443, targetPort: 443 },
];

/**
 * The facts each control plane implementation fixes. Both apps read them: the CDKTF side installs (or expects) this
 * gateway, the cdk8s side selects it.
 */
export const MESH_PROFILES: Readonly<Record<MeshMode, MeshProfile>> = {
  // The `gateway` Helm chart installed as release `istio-ingressgateway`: its selector labels are app=<release> and
  // istio=<release without "istio-">; the Service ports are gateway-values.yaml's (the chart lets the container bind
  // 80 and 443 itself through the net.ipv4.ip_unprivileged_port_start sysctl). In a namespace of its own, apart from
  // istiod, as the chart's README recommends.
  'istio-helm': {
    installsGateway: true,
    ingressGateway: {
      name: 'istio-ingressgateway',
      namespace: 'istio-ingress',
      labels: ISTIO_INGRESS_LABELS,
      ports: GATEWAY_CHART_PORTS,
      // The chart's service account is named after the release.
      serviceAccount: 'istio-ingressgateway',
    },
    defaultInjection: 'manual',
    rootNamespace: 'istio-system',
    cni: true,
  },
  // The GKE Istio add-on's own ingress gateway (its last Istio, 1.6, ran it unprivileged on 8080/8443), injected by
  // the add-on's webhook in namespaces labelled istio-injection=enabled. The add-on ran no CNI node agent.
  'gke-istio-addon': {
    installsGateway: false,
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
    cni: false,
    withoutAmbient: 'the add-on ran Istio 1.6, years before ambient mode (ztunnel, waypoints) existed',
  },
  // Cloud Service Mesh runs no ingress gateway of its own. The mesh stack installs the same `gateway` chart into a
  // namespace of its own (Google's recommendation), opted into the managed control plane by its revision label.
  // The managed data plane always redirects traffic with the Istio CNI node agent Google installs.
  'cloud-service-mesh': {
    installsGateway: true,
    ingressGateway: {
      name: 'istio-ingressgateway',
      namespace: 'istio-ingress',
      labels: ISTIO_INGRESS_LABELS,
      ports: GATEWAY_CHART_PORTS,
      // The `gateway` chart's service account is named after the release.
      serviceAccount: 'istio-ingressgateway',
    },
    defaultInjection: 'auto',
    rootNamespace: 'istio-system',
    cni: true,
    managedRevisions: { RAPID: 'asm-managed-rapid', REGULAR: 'asm-managed', STABLE: 'asm-managed-stable' },
    // Google provisions the managed data plane (its CNI, the proxies' versions); this project would have to install
    // ztunnel against a control plane whose ambient support it cannot pin or test, so it refuses rather than guesses.
    withoutAmbient:
      'Google provisions the managed data plane (sidecars and its own CNI node agent); this project installs ztunnel ' +
      'and the ambient CNI only with the Istio it installs itself (mesh.mode istio-helm)',
  },
};
