import { z } from 'zod';
import { DEFAULT_ISTIO_HUB, googleHostedIstioHost } from './istio-releases';

/** A Binary Authorization admission allowlist pattern: a registry path, optionally ending in `*` or `**`. */
const ADMISSION_PATTERN = /^[a-z0-9.-]+(:[0-9]+)?(\/[\w.-]+)*(\/?\*\*?|[\w.-]*\*\*?)?$/;

/** Why an image on a Google-hosted Istio host is refused, and what to use instead. */
export function googleHostedImageMessage(host: string): string {
  return `is on ${host}, which Istio takes offline from 2026-12-08 15:00 UTC; use ${DEFAULT_ISTIO_HUB} (Istio's images on Docker Hub) or a mirror of your own`;
}

/** An image registry path (hub) that is not one of the Google-hosted Istio hosts going dark. */
export const imageRepository = (example: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*(:[0-9]+)?(\/[a-z0-9][\w.-]*)*$/, {
      error: `must be an image repository path such as ${example} (registry host, then path; no scheme, tag or spaces)`,
    })
    .refine((v) => googleHostedIstioHost(v) === undefined, {
      error: (issue) => googleHostedImageMessage(googleHostedIstioHost(String(issue.input))!),
    });

/** A Binary Authorization admission pattern, as config writes it. */
export const admissionPattern = z.string().regex(ADMISSION_PATTERN, {
  error:
    'must be an image name pattern such as us-docker.pkg.dev/my-project/apps/* (no scheme, tag or spaces; * or ** only at the end)',
});
