/**
 * Istio releases: which minors this project supports, each with its released patches, the Kubernetes versions it
 * supports and the Gateway API version it requires, and where their artifacts live.
 *
 * Adding a patch is one line in its minor's `patches`. Adding a minor also needs that minor's injector data
 * (`npm run inject-data -- --minor <minor> ...`, inject/istio-<minor>-*.json) and the differences of its injection
 * template in the sidecar injector (inject/sidecar-template.ts, keyed by minor).
 */

/** What this project knows of one Istio minor. */
export interface IstioMinorRelease {
  /** Released patches, oldest first, each with what it brought. */
  readonly patches: Readonly<Record<string, string>>;
  /** The Kubernetes minors the release supports, oldest and newest (`1.31`). */
  readonly kubernetes: { readonly oldest: string; readonly newest: string };
  /** The Gateway API release whose CRDs the release requires (its go.mod's sigs.k8s.io/gateway-api). */
  readonly gatewayApi: string;
  /** Where the facts above come from. */
  readonly sources: readonly string[];
}

/**
 * The supported minors, oldest first. Kubernetes ranges: Istio's supported-releases page
 * (https://istio.io/latest/docs/releases/supported-releases/#support-status-of-istio-releases), as IBM Cloud's add-on
 * table restates it (https://cloud.ibm.com/docs/containers?topic=containers-supported-cluster-addon-versions: 1.29 on
 * >=1.31 <1.36, 1.30 on >=1.32 <1.37), with each release's istioctl floor (istioctl/pkg/install/k8sversion
 * MinK8SVersion: 1.30 in 1.29.6, 1.32 in 1.30.3 and 1.31.0). Gateway API: each release's go.mod.
 */
export const ISTIO_RELEASES = {
  '1.29': {
    patches: {
      '1.29.0': 'first release of the minor',
      '1.29.1': 'bug fixes',
      '1.29.2': 'bug fixes',
      '1.29.3': 'bug fixes',
      '1.29.4': 'bug fixes',
      '1.29.5': 'bug fixes',
      '1.29.6': 'bug fixes',
      '1.29.7': 'released 2026-08-27, with 1.30.4',
      '1.29.8': 'patch (see the 1.29.9 announcement, which follows it)',
      '1.29.9': 'security (ISTIO-SECURITY-2026-007); the last 1.29 release, end of life 2026-10-15',
    },
    kubernetes: { oldest: '1.31', newest: '1.35' },
    gatewayApi: 'v1.4.1',
    sources: [
      'https://istio.io/latest/news/releases/1.29.x/',
      'https://istio.io/latest/news/releases/1.29.x/announcing-1.29.9/',
      'https://github.com/istio/istio/releases (1.29.7, 2026-08-27)',
      'go.mod of istio/istio 1.29.6: sigs.k8s.io/gateway-api v1.4.1',
    ],
  },
  '1.30': {
    patches: {
      '1.30.0': 'first release of the minor',
      '1.30.1': 'bug fixes',
      '1.30.2': 'bug fixes',
      '1.30.3': 'bug fixes',
      '1.30.4': 'security: 13 Envoy CVEs (ISTIO-SECURITY-2026-006)',
      '1.30.5': 'bug and security fixes',
    },
    kubernetes: { oldest: '1.32', newest: '1.36' },
    gatewayApi: 'v1.5.1',
    sources: [
      'https://istio.io/latest/news/releases/1.30.x/',
      'go.mod of istio/istio release-1.30 (module 9739e10eb9d7): sigs.k8s.io/gateway-api v1.5.1',
    ],
  },
  '1.31': {
    patches: {
      '1.31.0': 'first release of the minor (commit eed52eb, 2026-08-31)',
      '1.31.1': 'bug and security fixes (GHSA-qm8v-g4f9-qhjx)',
    },
    kubernetes: { oldest: '1.32', newest: '1.36' },
    gatewayApi: 'v1.6.0',
    sources: [
      'https://github.com/istio/istio/releases (Istio 1.31.0, 2026-08-31, commit eed52eb)',
      'https://istio.io/latest/es/news/releases/1.31.x/announcing-1.31.1/',
      'go.mod of istio/istio 1.31.0 (module eed52ebb66ad): sigs.k8s.io/gateway-api v1.6.0',
      'Kubernetes: the supported-releases row for 1.31 was not retrieved; istioctl 1.31.0 sets the floor (1.32) and ' +
        "the newest is taken as 1.30's until the page is read",
    ],
  },
} as const satisfies Record<string, IstioMinorRelease>;

export type IstioMinor = keyof typeof ISTIO_RELEASES;

/** The minors an environment may run; the sidecar injector has each one's template and data. */
export const SUPPORTED_ISTIO_MINORS = Object.keys(ISTIO_RELEASES) as IstioMinor[];

/** Every released patch of a supported minor. */
export const SUPPORTED_ISTIO_VERSIONS: readonly string[] = SUPPORTED_ISTIO_MINORS.flatMap((minor) =>
  Object.keys(ISTIO_RELEASES[minor].patches),
);

/** The newest patch of 1.30: what environments run unless they choose. */
export const DEFAULT_ISTIO_VERSION = '1.30.5';

/** `1.30` of `1.30.5`. */
export function istioMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The release table's entry for a version's minor, or undefined when the minor is not supported. */
export function istioRelease(version: string): IstioMinorRelease | undefined {
  const minor = istioMinor(version);
  return Object.hasOwn(ISTIO_RELEASES, minor) ? ISTIO_RELEASES[minor as IstioMinor] : undefined;
}

/** The newest released patch of a minor. */
export function newestPatch(minor: IstioMinor): string {
  return Object.keys(ISTIO_RELEASES[minor].patches).at(-1)!;
}

/**
 * Why `version` cannot be run, or undefined when it can: an error naming the value and listing what is allowed.
 */
export function unsupportedIstioVersion(version: string): string | undefined {
  if (SUPPORTED_ISTIO_VERSIONS.includes(version)) return undefined;
  const minor = istioMinor(version);
  const why = (SUPPORTED_ISTIO_MINORS as string[]).includes(minor)
    ? `${version} is not a released patch of ${minor}`
    : `Istio ${minor} is not supported: the supported minors are ${SUPPORTED_ISTIO_MINORS.join(', ')}`;
  return `must be a released patch of a supported minor (${why}): ${SUPPORTED_ISTIO_VERSIONS.join(', ')}`;
}

/** Where Istio's release images are published (Docker Hub); every image of the mesh comes from one hub. */
export const DEFAULT_ISTIO_HUB = 'docker.io/istio';

/**
 * Istio's chart repositories after the Google-hosted one goes dark: the HTTP repository (the default) and the same
 * charts as OCI artifacts.
 */
export const ISTIO_CHART_REPOSITORIES = [
  'https://blob.istio.io/istio-release/charts',
  'oci://ghcr.io/istio/release/charts',
] as const;

export const DEFAULT_ISTIO_CHART_REPOSITORY = ISTIO_CHART_REPOSITORIES[0];

/**
 * Google-hosted Istio artifact hosts, which Istio switches off for good from 2026-12-08 15:00 UTC: an image or chart
 * from there will not pull.
 */
export const GOOGLE_HOSTED_ISTIO_HOSTS = [
  'gcr.io/istio-release',
  'registry.istio.io',
  'istio-release.storage.googleapis.com',
] as const;

/** The Google-hosted Istio host a reference (image, hub or URL) is on, if any. */
export function googleHostedIstioHost(reference: string): string | undefined {
  const bare = reference.replace(/^[a-z]+:\/\//, '');
  return GOOGLE_HOSTED_ISTIO_HOSTS.find((host) => bare === host || bare.startsWith(`${host}/`));
}

/**
 * The Kubernetes minors each GKE release channel offers (the "Current versions" table of GKE's release notes,
 * https://docs.cloud.google.com/kubernetes-engine/docs/release-notes, read 2026-12-01: Rapid 1.34 to 1.37, Regular
 * 1.34 to 1.36, Stable 1.34 to 1.35). A cluster on a channel may run, and is auto-upgraded to, any of them.
 */
export const GKE_CHANNEL_KUBERNETES = {
  RAPID: { oldest: '1.34', newest: '1.37' },
  REGULAR: { oldest: '1.34', newest: '1.36' },
  STABLE: { oldest: '1.34', newest: '1.35' },
} as const satisfies Record<string, { oldest: string; newest: string }>;

/** What changed in Istio between the supported minors that a configuration or a manifest can trip on. */
export interface IstioUpgradeNote {
  /** The minor that added, removed or changed it. */
  readonly minor: IstioMinor;
  readonly change: 'added' | 'removed' | 'changed';
  /** Where it shows: an istiod Helm value, an istiod environment variable, a pod annotation, an injected label. */
  readonly kind: 'value' | 'env' | 'annotation' | 'label';
  /** The value path, variable or annotation name. */
  readonly name: string;
  readonly what: string;
  readonly source: string;
}

/**
 * Fields, variables and behaviour that differ between the supported minors. The precheck reports those an
 * environment uses while it runs releases on both sides of the change.
 */
export const ISTIO_UPGRADE_NOTES: readonly IstioUpgradeNote[] = [
  {
    minor: '1.30',
    change: 'added',
    kind: 'value',
    name: 'taint.name',
    what: "the taint istio-cni's node-untaint controller removes (1.29's chart has no such value)",
    source: 'istiod chart values.yaml, 1.29.6 against 1.30.3',
  },
  {
    minor: '1.30',
    change: 'added',
    kind: 'env',
    name: 'PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME',
    what: 'istiod variable naming that taint; 1.29 ignores it',
    source: 'https://istio.io/latest/news/releases/1.30.x/announcing-1.30.3/',
  },
  {
    minor: '1.30',
    change: 'added',
    kind: 'env',
    name: 'OTEL_RESOURCE_ATTRIBUTES',
    what: 'written into sidecars by the 1.30 injection template with an OTEL_SEMANTIC_CONVENTIONS provider; not by 1.29',
    source: 'injection-template.yaml, 1.29.6 against 1.30.3',
  },
  {
    minor: '1.31',
    change: 'added',
    kind: 'annotation',
    name: 'prometheus.istio.io/scrape-targets',
    what: 'several scrape targets per pod; 1.29 and 1.30 ignore it',
    source: 'pkg/kube/inject/webhook.go, 1.30.3 against 1.31.0',
  },
  {
    minor: '1.31',
    change: 'changed',
    kind: 'label',
    name: 'service.istio.io/canonical-name',
    what: 'the injected label trims "-", "_" and "." at both ends (before: one trailing "-")',
    source: 'injection-template.yaml, 1.30.3 against 1.31.0',
  },
];
