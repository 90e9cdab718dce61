/**
 * Istio releases: which patches exist, which minors this project supports, and where their artifacts live.
 *
 * Adding a patch is one line in ISTIO_PATCH_RELEASES. Adding a minor also needs that minor's injection template in the
 * sidecar injector (cdk8s/inject), which reproduces one template per minor.
 */

/**
 * Released patches by minor, newest last, each with what it fixes.
 * Source: Istio's release announcements, https://istio.io/latest/news/releases/1.30.x/ (one page per patch).
 */
export const ISTIO_PATCH_RELEASES = {
  '1.30': {
    '1.30.0': 'first release of the minor',
    '1.30.1': 'bug fixes',
    '1.30.2': 'bug fixes',
    '1.30.3': 'bug fixes',
    '1.30.4': 'security: 13 Envoy CVEs (ISTIO-SECURITY-2026-006)',
    '1.30.5': 'bug and security fixes',
  },
} as const satisfies Record<string, Record<string, string>>;

/**
 * Minors whose injection template the sidecar injector implements: only 1.30's today (1.29's and 1.31's templates
 * differ and have not been written). Within a minor, the template's rendered output does not change between patches
 * (after 1.30.3 it only adds `| quote` to some fields, which renders the same values).
 */
export const SUPPORTED_ISTIO_MINORS = ['1.30'] as const satisfies readonly (keyof typeof ISTIO_PATCH_RELEASES)[];

/** Every released patch of a supported minor. */
export const SUPPORTED_ISTIO_VERSIONS: readonly string[] = SUPPORTED_ISTIO_MINORS.flatMap((minor) =>
  Object.keys(ISTIO_PATCH_RELEASES[minor]),
);

/** The newest patch of 1.30: what environments run unless they choose. */
export const DEFAULT_ISTIO_VERSION = '1.30.5';

/** `1.30` of `1.30.5`. */
export function istioMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
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
