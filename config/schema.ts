import { z } from 'zod';
import { argocdSchema } from './argocd';
import { BOOKINFO_APP_VERSIONS, BOOKINFO_SERVICE_ACCOUNTS, BOOKINFO_SERVICES, bookinfoSchema } from './bookinfo';
import { servicesSchema } from './services';
import { callGraphSchema, INGRESS_GATEWAY_CALLER } from './call-graph';
import {
  MESH_MODES,
  MESH_PROFILES,
  RELEASE_CHANNELS,
  type IngressGatewayProfile,
  type InjectionMode,
} from './mesh-profiles';

export { MESH_MODES, RELEASE_CHANNELS, type MeshMode, type ReleaseChannel } from './mesh-profiles';
import { meshSettingsShape, MESH_SETTINGS } from './mesh-settings';
import { securitySchema } from './security';
import { trafficSchema, withPresetVersions } from './traffic';
import { authorizedNetworkSchema, clusterNetworkSchema } from './network';
import { policySchema } from './policy-waivers';
import { stateSchema } from './state';
import { admissionPattern, googleHostedImageMessage, imageRepository } from './images';
import { maintenanceWindowSchema } from './maintenance-window';
import {
  DEFAULT_ISTIO_CHART_REPOSITORY,
  DEFAULT_ISTIO_HUB,
  DEFAULT_ISTIO_VERSION,
  ISTIO_CHART_REPOSITORIES,
  SUPPORTED_ISTIO_MINORS,
  SUPPORTED_ISTIO_VERSIONS,
  googleHostedIstioHost,
  istioMinor,
} from './istio-releases';
import {
  BOOKINFO_GATEWAY_NAME,
  GATEWAY_API_RELEASES,
  GATEWAY_NAME_LABEL,
  istioDeployedGatewayName,
} from './gateway-api';

/**
 * The typed shape of an environment, and its validation.
 *
 * Both apps read the validated `Environment`; nothing they share is written twice.
 * Defaults live here, so an environment in environments.ts states only what it chooses.
 */

export const INJECTION_MODES = ['manual', 'auto', 'off'] as const satisfies readonly InjectionMode[];

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const GCP_ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
const GCP_REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const GCP_PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

const dnsLabel = (maxLength: number) =>
  z
    .string()
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .regex(DNS_LABEL, {
      error:
        'must be a DNS label: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen',
    });

/** Why the tutorial's `--enable-basic-auth` cannot be honoured, and what replaces it. */
export const BASIC_AUTH_REMOVED =
  "basic auth (the tutorial's --enable-basic-auth) was removed from GKE in 1.19 and from the Terraform Google " +
  'provider in 4.0, so no cluster can have it; remove the field. Instead, get credentials with `gcloud container ' +
  'clusters get-credentials` (kubectl authenticates through gke-gcloud-auth-plugin with your Google identity), and ' +
  'give workloads Google identities with Workload Identity, which this cluster enables';

const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

export const clusterSchema = z
  .object({
    /** GKE cluster name. */
    name: dnsLabel(40),
    /** A zone (us-central1-f) for a zonal cluster, or a region (us-central1) for a regional one. */
    location: z.string().refine((v) => GCP_ZONE.test(v) || GCP_REGION.test(v), {
      error: 'must be a GCP zone such as us-central1-f or a region such as us-central1',
    }),
    /** Nodes in the node pool (per zone for a regional cluster). */
    nodeCount: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be from 1 to 1000' }).max(1000, {
      error: 'must be from 1 to 1000',
    }),
    /**
     * Compute Engine machine type of the nodes.
     * @default 'e2-standard-4' (Bookinfo with an Istio sidecar in every pod, plus istiod and the gateway)
     */
    machineType: z
      .string()
      .regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, { error: 'must be a machine type such as e2-standard-4' })
      .default('e2-standard-4'),
    /**
     * Boot disk size of each node, in GB.
     * @default 50
     */
    diskSizeGb: z.int({ error: 'must be a whole number' }).min(10, { error: 'must be at least 10' }).default(50),
    /**
     * GKE release channel.
     * @default 'REGULAR'
     */
    releaseChannel: z.enum(RELEASE_CHANNELS).default('REGULAR'),
    /**
     * The tutorial's `--enable-basic-auth`. Only `false` is accepted: GKE removed basic auth. (Typed as a boolean so
     * that asking for it reaches the synth, whose error says what to do instead.)
     * @default false
     */
    enableBasicAuth: z
      .boolean()
      .refine((enabled) => !enabled, { error: BASIC_AUTH_REMOVED })
      .optional(),
    /**
     * The cluster's address ranges (nodes, Pods, Services, control plane).
     * @default - 10.10.0.0/20, 10.20.0.0/14, 10.24.0.0/20 and 172.16.0.0/28
     */
    network: clusterNetworkSchema.default(() => clusterNetworkSchema.parse({})),
    /**
     * Networks allowed to reach the control plane's public endpoint (kubectl, Helm, `cdktf deploy` of the mesh).
     * Nodes are private either way. An empty list admits no one from outside Google Cloud.
     * @default []
     */
    masterAuthorizedNetworks: z.array(authorizedNetworkSchema).default([]),
    /**
     * Serve the control plane on its private endpoint only. Safest, but then kubectl, Helm and `cdktf deploy` must
     * run from inside the VPC (a bastion, Cloud Build private pools, a VPN).
     * @default false
     */
    privateEndpoint: z.boolean().default(false),
    /**
     * The Google Group whose nested groups get Kubernetes RBAC (Google Groups for RBAC), for example
     * gke-security-groups@example.com. Needs a Google Workspace or Cloud Identity domain.
     * @default - none (and the waiver of CKV_GCP_65 says why)
     */
    rbacSecurityGroup: z
      .string()
      .regex(/^gke-security-groups@[a-z0-9.-]+\.[a-z]{2,}$/, {
        error: 'must be the group gke-security-groups@<your domain>, as GKE requires',
      })
      .optional(),
    /**
     * Labels on the cluster and its nodes, besides the ones this project always sets (app, environment,
     * managed-by).
     * @default {}
     */
    labels: z
      .record(
        z.string(),
        z.string().regex(GCP_LABEL_VALUE, {
          error: 'must be a GCP label value: up to 63 lowercase letters, digits, "_" or "-"',
        }),
      )
      .superRefine((labels, ctx) => {
        for (const key of Object.keys(labels).filter((k) => !GCP_LABEL_KEY.test(k))) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            input: key,
            message: 'must be a GCP label key: lowercase letters, digits, "_" or "-", starting with a letter',
          });
        }
      })
      .default({}),
    /**
     * Refuse to destroy the cluster (Terraform's `deletion_protection`). `npm run destroy` needs it `false`.
     * @default true
     */
    deletionProtection: z.boolean().default(true),
    /**
     * When GKE may upgrade the control plane and nodes (auto-upgrades and repairs wait for it).
     * @default - Saturdays and Sundays, 01:00 to 09:00 UTC
     */
    maintenanceWindow: maintenanceWindowSchema.prefault({}),
    /**
     * Image name patterns Binary Authorization admits besides the configured hubs (`istio.hub`, `bookinfo.registry`,
     * the repository of `injection.proxyImage`) and GKE's system images, for example `us-docker.pkg.dev/my-project/apps/**`.
     * `*` matches within one path segment, a trailing `**` any depth. Every other image is blocked.
     * @default []
     */
    admittedImages: z.array(admissionPattern).default([]),
  })
  .strict();

export const istioSchema = z
  .object({
    /**
     * Istio release: any released patch (ISTIO_PATCH_RELEASES in istio-releases.ts) of a minor whose injection
     * template the sidecar injector implements (SUPPORTED_ISTIO_MINORS). It is the chart version and the image tag.
     * @default '1.30.5'
     */
    version: z
      .string()
      .refine((v) => SUPPORTED_ISTIO_VERSIONS.includes(v), {
        error: (issue) => {
          const minor = istioMinor(String(issue.input));
          const why = (SUPPORTED_ISTIO_MINORS as readonly string[]).includes(minor)
            ? `${issue.input} is not a released patch of ${minor}`
            : `Istio ${minor} is not supported: the sidecar injector implements the injection template of ` +
              `${SUPPORTED_ISTIO_MINORS.join(', ')} only`;
          return `must be a released patch of a supported minor (${why}): ${SUPPORTED_ISTIO_VERSIONS.join(', ')}`;
        },
      })
      .default(DEFAULT_ISTIO_VERSION),
    /**
     * Where every Istio image comes from: the charts' `global.hub`, the injected proxy and init images
     * (`<hub>/proxyv2:<version>`) and, unless `bookinfo.registry` says otherwise, Bookinfo.
     * @default 'docker.io/istio'
     */
    hub: imageRepository(DEFAULT_ISTIO_HUB).default(DEFAULT_ISTIO_HUB),
    /**
     * Where the Helm releases get Istio's charts.
     * @default 'https://blob.istio.io/istio-release/charts'
     */
    chartRepository: z
      .enum(ISTIO_CHART_REPOSITORIES, {
        error: (issue) =>
          `must be one of Istio's chart repositories: ${ISTIO_CHART_REPOSITORIES.join(', ')}${
            googleHostedIstioHost(String(issue.input))
              ? ' (the Google-hosted one goes offline from 2026-12-08 15:00 UTC)'
              : ''
          }`,
      })
      .default(DEFAULT_ISTIO_CHART_REPOSITORY),
    /**
     * Control plane revision (`istio.io/rev`), for canary upgrades.
     * @default - no revision: the default control plane
     */
    revision: dnsLabel(63).optional(),
  })
  .strict();

export const meshSchema = z
  .object({
    /**
     * Which control plane the cluster runs.
     * @default 'istio-helm'
     */
    mode: z.enum(MESH_MODES, { error: `must be one of ${MESH_MODES.join(', ')}` }).default('istio-helm'),
    /**
     * Namespace of the ingress gateway that the mesh stack installs (`istio-helm`, `cloud-service-mesh`): a namespace
     * of its own, as Istio's gateway chart recommends. The Gateways' selector and the authorization policies'
     * principals (`cluster.local/ns/<namespace>/sa/<gateway>`) read it. The GKE add-on fixes its own (istio-system).
     * @default 'istio-ingress'
     */
    gatewayNamespace: dnsLabel(63).optional(),
    ...meshSettingsShape,
  })
  .strict();

export const injectionSchema = z
  .object({
    /**
     * `manual`: sidecars injected at synth time, visible in dist/ (what `istioctl kube-inject` does);
     * `auto`: the namespace is labelled and the cluster's webhook injects; `off`: no sidecars.
     * @default - `manual` with the istio-helm control plane, `auto` with the GKE add-on and Cloud Service Mesh
     */
    mode: z.enum(INJECTION_MODES, { error: `must be one of ${INJECTION_MODES.join(', ')}` }).optional(),
    /**
     * Run istio-proxy as a Kubernetes native sidecar (an init container with `restartPolicy: Always`).
     * @default true (Istio 1.30's default)
     */
    nativeSidecars: z.boolean().default(true),
    /**
     * The Istio CNI plugin sets up traffic redirection, so pods need no NET_ADMIN/NET_RAW init container.
     * With `istio-helm` this also decides whether the `cni` chart is installed.
     * @default - what the mesh mode runs: true with istio-helm and Cloud Service Mesh, false with the GKE add-on
     */
    cni: z.boolean().optional(),
    /**
     * The istio-proxy image (and its init container's), for example a distroless variant. Binary Authorization admits
     * its repository too.
     * @default - <istio.hub>/proxyv2:<istio.version>
     */
    proxyImage: z
      .string()
      .regex(/^[^\s]+$/, { error: 'must be an image reference without spaces' })
      .optional(),
  })
  .strict();

/**
 * Namespaces an application must not run in, and why: what the security chart writes into its namespace (a
 * deny-everything AuthorizationPolicy, STRICT mutual TLS) would there apply to Kubernetes, to Istio, or to the mesh.
 * The ingress gateway's namespace (a mesh profile's, such as istio-ingress) is refused as well.
 */
export const SYSTEM_NAMESPACES: Readonly<Record<string, string>> = {
  'istio-system': "Istio's root namespace: policies there apply to every workload in the mesh",
  'istio-ingress': "the ingress gateway's namespace: a deny-everything policy there would cut off the gateway",
  'kube-system': "Kubernetes' own components run there",
  'kube-public': 'Kubernetes keeps it readable by everyone, for cluster information',
  'kube-node-lease': "Kubernetes' node heartbeats live there",
  default: 'objects given no namespace land there, so its policies would apply to whatever else is applied without one',
};

const environmentObject = z
  .object({
    /** Environment name: names the output folders and Terraform stacks. */
    name: dnsLabel(20),
    /**
     * The Google Cloud project id. `npm run deploy` and `npm run destroy` take it from HELLO_ISTIO_PROJECT_ID_<NAME>
     * (the environment's name in capitals, `-` as `_`) when that is set; `npm run synth` always writes this value.
     */
    projectId: z.string().regex(GCP_PROJECT_ID, {
      error: 'must be a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter',
    }),
    cluster: clusterSchema,
    istio: istioSchema,
    mesh: meshSchema.prefault({}),
    injection: injectionSchema.default({ nativeSidecars: true }),
    /** Namespace that Bookinfo runs in. */
    namespace: dnsLabel(63),
    /** The Bookinfo application: versions, replicas and images. */
    bookinfo: bookinfoSchema.default(bookinfoSchema.parse({})),
    /**
     * Services of your own, beside Bookinfo's: each gets its ServiceAccount, Service, hardened Deployments (one per
     * version, sidecar injected), a DestinationRule with a subset per version, and the authorization its call-graph
     * edges open. For example `[{ name: 'payments', port: 8080, versions: [{ version: 'v1', image: '...' }] }]`.
     * @default []
     */
    services: servicesSchema(
      [...Object.keys(BOOKINFO_APP_VERSIONS), INGRESS_GATEWAY_CALLER],
      "one of Bookinfo's services or the ingress gateway's caller name",
      BOOKINFO_SERVICE_ACCOUNTS,
    ),
    /** Traffic management: the preset scenario, the gateway, traffic policy and routes of our own. */
    traffic: trafficSchema.prefault({}),
    /** Mutual TLS and authorization. */
    security: securitySchema.prefault({}),
    /** Who calls whom: the only calls authorization allows. @default - Bookinfo's call graph */
    callGraph: callGraphSchema,
    /**
     * Where Terraform keeps state.
     * @default { backend: 'local' }
     */
    state: stateSchema.default({ backend: 'local' }),
    /**
     * Policy checks this environment deliberately does not meet.
     * @default - the waivers in policy-waivers.ts
     */
    policy: policySchema.default(() => policySchema.parse({})),
    /** How Argo CD deploys the environment's Kubernetes output from git. */
    argocd: argocdSchema.prefault({}),
  })
  .strict()
  .superRefine((env, ctx) => {
    const routable = [...BOOKINFO_SERVICES, ...env.services.filter((s) => !s.database).map((s) => s.name)];
    for (const service of Object.keys(env.traffic.routes).filter((s) => !routable.includes(s))) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'routes', service],
        input: service,
        message: `is not an HTTP service of this environment; routes can be given for ${routable.join(', ')}`,
      });
    }
    // What a Google-managed control plane fixes cannot be chosen otherwise.
    const profile = MESH_PROFILES[env.mesh.mode];
    if (env.mesh.mode !== 'istio-helm' && env.injection.cni !== undefined && env.injection.cni !== profile.cni) {
      ctx.addIssue({
        code: 'custom',
        path: ['injection', 'cni'],
        input: env.injection.cni,
        message: `must be ${profile.cni} (or left out) with mesh.mode ${env.mesh.mode}, which ${
          profile.cni ? 'always runs' : 'cannot run'
        } the Istio CNI node agent`,
      });
    }
    if (env.mesh.gatewayNamespace !== undefined && !profile.installsGateway) {
      ctx.addIssue({
        code: 'custom',
        path: ['mesh', 'gatewayNamespace'],
        input: env.mesh.gatewayNamespace,
        message: `must be left out with mesh.mode ${env.mesh.mode}, whose ingress gateway lives in ${profile.ingressGateway.namespace}`,
      });
    }
    for (const [path, image] of [
      [['bookinfo', 'registry'], env.bookinfo.registry],
      [['injection', 'proxyImage'], env.injection.proxyImage],
    ] as const) {
      const host = image === undefined ? undefined : googleHostedIstioHost(image);
      if (host) {
        ctx.addIssue({
          code: 'custom',
          path: [...path],
          input: image,
          message: googleHostedImageMessage(host),
        });
      }
    }
    // istiod's mesh settings are Helm values of our own release; a Google-managed control plane has its own
    const set = MESH_SETTINGS.filter((field) => env.mesh[field] !== undefined);
    if (env.mesh.mode !== 'istio-helm' && set.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['mesh', set[0]],
        input: env.mesh[set[0]],
        message: `can only be set with mesh.mode istio-helm (whose istiod this project installs), not ${env.mesh.mode}`,
      });
    }
    const gatewayApi = env.traffic.ingress === 'gateway-api';
    if (gatewayApi) gatewayApiIssues(env, ctx);
    else if (env.traffic.gateway.address !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'gateway', 'address'],
        input: env.traffic.gateway.address,
        message:
          "is for traffic.ingress gateway-api only: with 'istio' the mesh stack gives the reserved address to the " +
          'ingress gateway it installs',
      });
    }
    const gatewayNamespace = env.mesh.gatewayNamespace ?? profile.ingressGateway.namespace;
    const reason = Object.hasOwn(SYSTEM_NAMESPACES, env.namespace)
      ? SYSTEM_NAMESPACES[env.namespace]
      : env.namespace === gatewayNamespace && !gatewayApi
        ? SYSTEM_NAMESPACES['istio-ingress']
        : undefined;
    if (reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['namespace'],
        input: env.namespace,
        message: `must not be ${env.namespace}, a system namespace: ${reason}; choose a namespace of the application's own, such as bookinfo`,
      });
    }
    const managed = profile.managedRevisions?.[env.cluster.releaseChannel];
    if (env.istio.revision !== undefined && env.mesh.mode !== 'istio-helm' && env.istio.revision !== managed) {
      ctx.addIssue({
        code: 'custom',
        path: ['istio', 'revision'],
        input: env.istio.revision,
        message: managed
          ? `must be ${managed} (or left out): the revision Cloud Service Mesh serves on the ` +
            `${env.cluster.releaseChannel} channel`
          : `must be left out with mesh.mode ${env.mesh.mode}, which has no revisions`,
      });
    }
  });

/** An environment, validated, with defaults that depend on other fields filled in. */
export const environmentSchema = environmentObject.transform((env) => {
  const profile = MESH_PROFILES[env.mesh.mode];
  return {
    ...env,
    istio: { ...env.istio, revision: env.istio.revision ?? profile.managedRevisions?.[env.cluster.releaseChannel] },
    injection: {
      ...env.injection,
      mode: env.injection.mode ?? profile.defaultInjection,
      cni: env.injection.cni ?? profile.cni,
      proxyImage: env.injection.proxyImage ?? `${env.istio.hub}/proxyv2:${env.istio.version}`,
    },
    /**
     * The ingress gateway: the one the control plane runs, or with `traffic.ingress: 'gateway-api'` the one Istio
     * deploys for the tutorial's Gateway. Gateways select it, authorization policies name its identity.
     */
    ingressGateway:
      env.traffic.ingress === 'gateway-api'
        ? gatewayApiIngress(env.namespace)
        : {
            ...profile.ingressGateway,
            namespace: profile.installsGateway
              ? (env.mesh.gatewayNamespace ?? profile.ingressGateway.namespace)
              : profile.ingressGateway.namespace,
          },
    bookinfo: {
      ...env.bookinfo,
      /** Bookinfo's images come from the Istio hub unless the environment names a registry of its own. */
      registry: env.bookinfo.registry ?? env.istio.hub,
      /** The versions that run: those configured plus those the traffic preset needs. */
      versions: withPresetVersions(env.bookinfo.versions, env.traffic.preset),
    },
  };
});

/**
 * The gateway Istio deploys for the tutorial's Gateway API Gateway, in the Gateway's namespace (Bookinfo's, as in
 * upstream's samples/bookinfo/gateway-api): Deployment, Service and ServiceAccount named `<gateway>-istio`, pods
 * labelled with the Gateway's name, a Service port per listener (the listener's port, which the pods bind).
 */
function gatewayApiIngress(namespace: string): IngressGatewayProfile {
  const name = istioDeployedGatewayName(BOOKINFO_GATEWAY_NAME);
  return {
    name,
    namespace,
    labels: { [GATEWAY_NAME_LABEL]: BOOKINFO_GATEWAY_NAME },
    ports: [
      { name: 'http', port: 80, targetPort: 80 },
      { name: 'https', port: 443, targetPort: 443 },
    ],
    serviceAccount: name,
  };
}

/** What `traffic.ingress: 'gateway-api'` needs of the rest of the environment. */
function gatewayApiIssues(
  env: {
    readonly mesh: { readonly mode: string; readonly gatewayNamespace?: string };
    readonly istio: { readonly version: string };
    readonly traffic: { readonly ingress: string };
    readonly namespace: string;
  },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: (string | number)[], input: unknown, message: string) =>
    ctx.addIssue({ code: 'custom', path, input, message });
  if (env.mesh.mode !== 'istio-helm') {
    issue(
      ['traffic', 'ingress'],
      env.traffic.ingress,
      `needs mesh.mode istio-helm, whose mesh stack installs the Gateway API CRDs before istiod; ${env.mesh.mode} ` +
        (env.mesh.mode === 'gke-istio-addon'
          ? "runs Istio 1.6, which knows no Gateway API: use traffic.ingress 'istio'"
          : "has Google manage the control plane and its CRDs: use traffic.ingress 'istio'"),
    );
  }
  const minor = istioMinor(env.istio.version);
  if (!Object.hasOwn(GATEWAY_API_RELEASES, minor)) {
    issue(
      ['traffic', 'ingress'],
      env.traffic.ingress,
      `needs the Gateway API release Istio ${env.istio.version} reads, and none is known for Istio ${minor} ` +
        `(known: ${Object.entries(GATEWAY_API_RELEASES)
          .map(([istio, release]) => `Istio ${istio}: ${release}`)
          .join(', ')}; GATEWAY_API_RELEASES in config/gateway-api.ts)`,
    );
  }
  if (env.mesh.gatewayNamespace !== undefined) {
    issue(
      ['mesh', 'gatewayNamespace'],
      env.mesh.gatewayNamespace,
      `must be left out with traffic.ingress gateway-api: Istio deploys the Gateway's gateway in the Gateway's ` +
        `namespace (${env.namespace}), and the mesh stack installs none`,
    );
  }
}

/** An environment as written in environments.ts: fields with defaults may be left out. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default filled in. */
export type Environment = z.output<typeof environmentSchema>;

/** The GCP region a zone or region belongs to. */
export function regionOf(location: string): string {
  return GCP_ZONE.test(location) ? location.slice(0, location.lastIndexOf('-')) : location;
}
