import { z } from 'zod';
import { argocdSchema } from './argocd';
import { bookinfoSchema } from './bookinfo';
import { MESH_PROFILES, type InjectionMode } from './mesh-profiles';

/**
 * The typed shape of an environment, and its validation.
 *
 * Both apps read the validated `Environment`; nothing they share is written twice.
 * Defaults live here, so an environment in environments.ts states only what it chooses.
 */

/** Istio releases this project has reference material (templates, CRDs, values) for. */
export const SUPPORTED_ISTIO_VERSIONS = ['1.30.3'] as const;

/** How the Istio control plane is installed on the cluster. */
export const MESH_MODES = ['istio-helm', 'gke-istio-addon', 'cloud-service-mesh'] as const;
export type MeshMode = (typeof MESH_MODES)[number];

export const INJECTION_MODES = ['manual', 'auto', 'off'] as const satisfies readonly InjectionMode[];

export const RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'] as const;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const GCP_ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
const GCP_REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const GCP_PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

const dnsLabel = (maxLength: number) =>
  z
    .string()
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .regex(DNS_LABEL, {
      error: 'must be a DNS label: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen',
    });

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
     * GKE release channel.
     * @default 'REGULAR'
     */
    releaseChannel: z.enum(RELEASE_CHANNELS).default('REGULAR'),
  })
  .strict();

export const istioSchema = z
  .object({
    /** Istio release; the injection template, CRDs and chart values are those of this release. */
    version: z.enum(SUPPORTED_ISTIO_VERSIONS, {
      error: `must be an Istio version this project supports: ${SUPPORTED_ISTIO_VERSIONS.join(', ')}`,
    }),
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
    mode: z
      .enum(MESH_MODES, { error: `must be one of ${MESH_MODES.join(', ')}` })
      .default('istio-helm'),
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
     * @default false
     */
    cni: z.boolean().default(false),
    /**
     * The istio-proxy image.
     * @default - docker.io/istio/proxyv2:<istio.version>
     */
    proxyImage: z
      .string()
      .regex(/^[^\s]+$/, { error: 'must be an image reference without spaces' })
      .optional(),
  })
  .strict();

const environmentObject = z
  .object({
    /** Environment name: names the output folders and Terraform stacks. */
    name: dnsLabel(20),
    /** The Google Cloud project id. Set it with HELLO_ISTIO_PROJECT_ID rather than editing code. */
    projectId: z.string().regex(GCP_PROJECT_ID, {
      error: 'must be a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter',
    }),
    cluster: clusterSchema,
    istio: istioSchema,
    mesh: meshSchema.default({ mode: 'istio-helm' }),
    injection: injectionSchema.default({ nativeSidecars: true, cni: false }),
    /** Namespace that Bookinfo runs in. */
    namespace: dnsLabel(63),
    /** The Bookinfo application: versions, replicas and images. */
    bookinfo: bookinfoSchema.default(bookinfoSchema.parse({})),
    /** How Argo CD deploys the environment's Kubernetes output from git. */
    argocd: argocdSchema.prefault({}),
  })
  .strict();

/** An environment, validated, with defaults that depend on other fields filled in. */
export const environmentSchema = environmentObject.transform((env) => {
  const profile = MESH_PROFILES[env.mesh.mode];
  return {
    ...env,
    injection: {
      ...env.injection,
      mode: env.injection.mode ?? profile.defaultInjection,
      proxyImage: env.injection.proxyImage ?? `docker.io/istio/proxyv2:${env.istio.version}`,
    },
    /** The ingress gateway the control plane runs; Gateways select it. */
    ingressGateway: profile.ingressGateway,
  };
});

/** An environment as written in environments.ts: fields with defaults may be left out. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default filled in. */
export type Environment = z.output<typeof environmentSchema>;

/** The GCP region a zone or region belongs to. */
export function regionOf(location: string): string {
  return GCP_ZONE.test(location) ? location.slice(0, location.lastIndexOf('-')) : location;
}
