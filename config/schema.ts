import { z } from 'zod';
import { argocdSchema } from './argocd';
import { BOOKINFO_APP_VERSIONS, BOOKINFO_SERVICE_ACCOUNTS, BOOKINFO_SERVICES, bookinfoSchema } from './bookinfo';
import { servicesSchema } from './services';
import { callGraphSchema, INGRESS_GATEWAY_CALLER } from './call-graph';
import {
  DATAPLANES,
  MESH_MODES,
  MESH_PROFILES,
  RELEASE_CHANNELS,
  type IngressGatewayProfile,
  type InjectionMode,
} from './mesh-profiles';

export {
  DATAPLANES,
  MESH_MODES,
  RELEASE_CHANNELS,
  type Dataplane,
  type MeshMode,
  type ReleaseChannel,
} from './mesh-profiles';
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
  googleHostedIstioHost,
  unsupportedIstioVersion,
} from './istio-releases';
import { GATEWAY_NAME_LABEL } from '../kube/gateway-api';
import { BOOKINFO_GATEWAY_NAME, uncarriedGatewayApi, istioDeployedGatewayName } from './gateway-api';

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

/**
 * An Istio release: any released patch of a supported minor (ISTIO_RELEASES in istio-releases.ts: 1.29, 1.30, 1.31).
 * It is the chart version and the image tag.
 */
const istioVersion = z.string().refine((v) => unsupportedIstioVersion(v) === undefined, {
  error: (issue) => unsupportedIstioVersion(String(issue.input)),
});

/** A revision or tag name (`istio.io/rev`): a label value Istio accepts, such as `1-30-5`, `canary` or `stable`. */
const revisionLabel = z
  .string()
  .max(63, { error: 'must be at most 63 characters' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error:
      'must be lowercase letters, digits and hyphens, not starting or ending with a hyphen, such as 1-30-5 or canary',
  });

/** One istiod release of a canary setup: a revision name (`istio.io/rev`) and its Istio release. */
export const istioRevisionSchema = z
  .object({
    /** Revision name, for example `1-29-6` or `canary`: istiod runs as `istiod-<name>`. */
    name: revisionLabel,
    /** The revision's Istio release. */
    version: istioVersion,
  })
  .strict();

export const istioSchema = z
  .object({
    /**
     * Istio release of the (one) control plane: the chart version and the image tag. With `revisions`, each revision
     * names its own, and this is left out (it becomes the release behind the namespace's tag).
     * @default '1.30.5'
     */
    version: istioVersion.optional(),
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
     * Control plane revision (`istio.io/rev`) of the one control plane. For several, use `revisions`.
     * @default - no revision: the default control plane
     */
    revision: dnsLabel(63).optional(),
    /**
     * Several istiod releases side by side, each a revision at its own release, for canary upgrades: for example
     * `[{ name: '1-29-6', version: '1.29.6' }, { name: '1-30-5', version: '1.30.5' }]`. Needs `tags` and `tag`.
     * @default - one control plane (`version`, `revision`)
     */
    revisions: z.array(istioRevisionSchema).min(1).optional(),
    /**
     * Revision tags (the istiod chart's `revisionTags`), each pointing at a revision: for example
     * `{ stable: '1-29-6', canary: '1-30-5' }`. Moving a tag moves every namespace on it.
     * @default {}
     */
    tags: z.record(revisionLabel, z.string()).optional(),
    /**
     * The tag the application's namespace (`istio.io/rev: <tag>`) and the ingress gateway are on; synth-time
     * injection renders the sidecars of the revision behind it.
     * @default - none (required with `revisions`)
     */
    tag: revisionLabel.optional(),
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
     * What carries the workloads' traffic. `sidecar`: an Envoy in every pod (injected as `injection` says).
     * `ambient`: ztunnel on every node for mTLS and L4 authorization, and a waypoint proxy (a Gateway API Gateway) for
     * each service whose routes or authorization need L7; the namespace is labelled `istio.io/dataplane-mode:
     * ambient` and its pods get no sidecar. Only with `istio-helm`, whose mesh stack installs ztunnel and the CNI node
     * agent in ambient mode.
     * @default 'sidecar'
     */
    dataplane: z.enum(DATAPLANES, { error: `must be one of ${DATAPLANES.join(', ')}` }).default('sidecar'),
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
     * `auto`: the namespace is labelled and the cluster's webhook injects; `off`: no sidecars (the only mode an
     * ambient data plane allows).
     * @default - `off` with `mesh.dataplane: ambient`; else `manual` with the istio-helm control plane, `auto` with
     *   the GKE add-on and Cloud Service Mesh
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
    if (env.mesh.dataplane === 'ambient') ambientProblems(env, ctx);
    const gatewayApi = env.traffic.ingress === 'gateway-api';
    const versions = env.istio.revisions?.map((r) => r.version) ?? [env.istio.version ?? DEFAULT_ISTIO_VERSION];
    if (gatewayApi) gatewayApiIssues({ ...env, istio: { versions } }, ctx);
    if (env.mesh.dataplane === 'ambient') {
      // waypoints are Gateway API Gateways: the mesh stack installs the CRDs the release requires
      for (const problem of versions.map(uncarriedGatewayApi).filter((p) => p !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mesh', 'dataplane'],
          input: env.mesh.dataplane,
          message: `cannot be ambient here, whose waypoints are Gateway API Gateways: ${problem}`,
        });
      }
    }
    if (!gatewayApi && env.traffic.gateway.address !== undefined) {
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
    for (const problem of revisionProblems(env.istio, env.mesh.mode)) ctx.addIssue({ code: 'custom', ...problem });
  });

/** What an ambient data plane rules out: a control plane that cannot run it, sidecars, no CNI node agent. */
function ambientProblems(env: z.output<typeof environmentObject>, ctx: z.RefinementCtx): void {
  const { withoutAmbient } = MESH_PROFILES[env.mesh.mode];
  if (withoutAmbient) {
    ctx.addIssue({
      code: 'custom',
      path: ['mesh', 'dataplane'],
      input: env.mesh.dataplane,
      message: `must be sidecar with mesh.mode ${env.mesh.mode}: ${withoutAmbient}; use mesh.mode istio-helm for ambient`,
    });
  }
  if (env.injection.mode !== undefined && env.injection.mode !== 'off') {
    ctx.addIssue({
      code: 'custom',
      path: ['injection', 'mode'],
      input: env.injection.mode,
      message:
        `must be off (or left out) with mesh.dataplane ambient: namespace "${env.namespace}" would be both in ` +
        'ambient mode and injected, and a pod with a sidecar is left out of ambient (the CNI node agent skips it), ' +
        'so it would get neither ztunnel nor the waypoints; choose one data plane',
    });
  }
  if (env.security.mtls.destinationRuleTls === 'istio-mutual') {
    ctx.addIssue({
      code: 'custom',
      path: ['security', 'mtls', 'destinationRuleTls'],
      input: env.security.mtls.destinationRuleTls,
      message:
        "must be auto (or left out) with mesh.dataplane ambient: a waypoint ignores a DestinationRule's " +
        "tls.mode ISTIO_MUTUAL (istiod builds no TLS for it; ztunnel's HBONE tunnels carry mutual TLS between " +
        'workloads anyway), so the setting would promise what nothing does',
    });
  }
  if (env.injection.cni === false) {
    ctx.addIssue({
      code: 'custom',
      path: ['injection', 'cni'],
      input: false,
      message:
        "must be true (or left out) with mesh.dataplane ambient: the CNI node agent is what redirects ambient pods' " +
        'traffic to ztunnel',
    });
  }
}

/** What is wrong with an environment's revisions and tags: each problem naming the field, the value and what is allowed. */
function revisionProblems(
  istio: z.output<typeof istioSchema>,
  mode: string,
): { path: (string | number)[]; input: unknown; message: string }[] {
  const problems: { path: (string | number)[]; input: unknown; message: string }[] = [];
  const { revisions, tags, tag } = istio;
  if (revisions === undefined) {
    if (tags !== undefined)
      problems.push({
        path: ['istio', 'tags'],
        input: tags,
        message: 'needs istio.revisions: tags point at revisions',
      });
    if (tag !== undefined)
      problems.push({ path: ['istio', 'tag'], input: tag, message: 'needs istio.revisions and istio.tags' });
    return problems;
  }
  if (mode !== 'istio-helm') {
    problems.push({
      path: ['istio', 'revisions'],
      input: revisions.map((r) => r.name),
      message: `can only be set with mesh.mode istio-helm (whose istiod releases this project installs), not ${mode}`,
    });
  }
  for (const field of ['version', 'revision'] as const) {
    if (istio[field] !== undefined) {
      problems.push({
        path: ['istio', field],
        input: istio[field],
        message: `must be left out with istio.revisions, where each revision names its ${field === 'version' ? 'release' : 'name'}`,
      });
    }
  }
  const names = revisions.map((r) => r.name);
  revisions.forEach((r, i) => {
    if (names.indexOf(r.name) !== i) {
      problems.push({
        path: ['istio', 'revisions', i, 'name'],
        input: r.name,
        message: `names revision ${r.name} a second time: each revision once (revisions: ${names.join(', ')})`,
      });
    }
  });
  const tagNames = Object.keys(tags ?? {});
  for (const [name, revision] of Object.entries(tags ?? {})) {
    if (!names.includes(revision)) {
      problems.push({
        path: ['istio', 'tags', name],
        input: revision,
        message: `points at no revision: the revisions are ${names.join(', ')}`,
      });
    }
  }
  if (tag === undefined) {
    problems.push({
      path: ['istio', 'tag'],
      input: tag,
      message: `is required with istio.revisions: the tag the namespace is on${tagNames.length > 0 ? ` (one of ${tagNames.join(', ')})` : ''}`,
    });
  } else if (!tagNames.includes(tag)) {
    problems.push({
      path: ['istio', 'tag'],
      input: tag,
      message: `is no tag of istio.tags: the tags are ${tagNames.length > 0 ? tagNames.join(', ') : 'none (define istio.tags)'}`,
    });
  }
  return problems;
}

/** An istiod release the mesh stack installs: a revision at its release, with the tags pointing at it. */
export interface ControlPlaneRevision {
  /** Revision name; none for the one default control plane. */
  readonly revision?: string;
  readonly version: string;
  /** Revision tags pointing at it. */
  readonly tags: readonly string[];
  /** The proxy image its injector writes. */
  readonly proxyImage: string;
}

/** An environment, validated, with defaults that depend on other fields filled in. */
export const environmentSchema = environmentObject.transform((env) => {
  const profile = MESH_PROFILES[env.mesh.mode];
  const proxyImageOf = (version: string) => env.injection.proxyImage ?? `${env.istio.hub}/proxyv2:${version}`;
  const { revisions, tags = {}, tag } = env.istio;
  // the control planes: each revision with the tags on it, or the one control plane
  const controlPlanes: ControlPlaneRevision[] = revisions
    ? revisions.map((r) => ({
        revision: r.name,
        version: r.version,
        tags: Object.keys(tags).filter((t) => tags[t] === r.name),
        proxyImage: proxyImageOf(r.version),
      }))
    : [
        {
          revision: env.istio.revision ?? profile.managedRevisions?.[env.cluster.releaseChannel],
          version: env.istio.version ?? DEFAULT_ISTIO_VERSION,
          tags: [],
          proxyImage: proxyImageOf(env.istio.version ?? DEFAULT_ISTIO_VERSION),
        },
      ];
  // the namespace's control plane: the revision behind its tag (validated above)
  const own = revisions ? controlPlanes.find((cp) => cp.revision === tags[tag!])! : controlPlanes[0];
  return {
    ...env,
    istio: { ...env.istio, version: own.version, revision: own.revision, tag, controlPlanes },
    injection: {
      ...env.injection,
      mode: env.injection.mode ?? (env.mesh.dataplane === 'ambient' ? 'off' : profile.defaultInjection),
      cni: env.injection.cni ?? profile.cni,
      proxyImage: own.proxyImage,
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
    readonly istio: { readonly versions: readonly string[] };
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
  for (const problem of env.istio.versions.map(uncarriedGatewayApi).filter((p) => p !== undefined)) {
    issue(['traffic', 'ingress'], env.traffic.ingress, `cannot be gateway-api here: ${problem}`);
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
