import { z } from 'zod';

/**
 * Bookinfo's services and the versions upstream Istio 1.30.3 ships for each
 * (samples/bookinfo/platform/kube: bookinfo.yaml, bookinfo-details-v2.yaml, bookinfo-ratings-v2*.yaml).
 */
export const BOOKINFO_VERSIONS = {
  productpage: ['v1'],
  details: ['v1', 'v2'],
  ratings: ['v1', 'v2'],
  reviews: ['v1', 'v2', 'v3'],
} as const;

export type BookinfoService = keyof typeof BOOKINFO_VERSIONS;
export const BOOKINFO_SERVICES = Object.keys(BOOKINFO_VERSIONS) as BookinfoService[];

/** The port every Bookinfo service listens on, named `http` on its Service. */
export const BOOKINFO_PORT = 9080;

/** The ServiceAccount a service's pods run as (upstream bookinfo.yaml's `bookinfo-<service>`): its mesh identity. */
export const bookinfoServiceAccount = (service: BookinfoService): string => `bookinfo-${service}`;

const versionsOf = <S extends BookinfoService>(service: S, defaults: readonly (typeof BOOKINFO_VERSIONS)[S][number][]) =>
  z
    .array(
      z.enum(BOOKINFO_VERSIONS[service] as unknown as [string, ...string[]], {
        error: `must be a version of ${service} that upstream Bookinfo ships: ${BOOKINFO_VERSIONS[service].join(', ')}`,
      }),
    )
    .min(1, { error: `${service} needs at least one version` })
    .refine((v) => new Set(v).size === v.length, { error: 'lists a version twice' })
    .default([...defaults]);

export const bookinfoSchema = z
  .object({
    /**
     * Image registry of the Bookinfo images (`<registry>/examples-bookinfo-<service>-<version>:<tag>`).
     * @default 'registry.istio.io/release'
     */
    registry: z
      .string()
      .regex(/^[^\s:/][^\s]*[^\s/]$/, { error: 'must be a registry path without spaces, such as registry.istio.io/release' })
      .default('registry.istio.io/release'),
    /**
     * Tag of the Bookinfo images.
     * @default '1.20.3' (the tag Istio 1.30.3's bookinfo.yaml uses)
     */
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, { error: 'must be an image tag: letters, digits, "_", "." or "-", no spaces' })
      .default('1.20.3'),
    /** Which versions of each service run. @default - the versions of upstream bookinfo.yaml */
    versions: z
      .object({
        /** @default ['v1'] */
        productpage: versionsOf('productpage', ['v1']),
        /** @default ['v1'] */
        details: versionsOf('details', ['v1']),
        /** @default ['v1'] */
        ratings: versionsOf('ratings', ['v1']),
        /** @default ['v1', 'v2', 'v3'] */
        reviews: versionsOf('reviews', ['v1', 'v2', 'v3']),
      })
      .strict()
      .default({ productpage: ['v1'], details: ['v1'], ratings: ['v1'], reviews: ['v1', 'v2', 'v3'] }),
    /**
     * Replicas of each Deployment unless `replicasByDeployment` says otherwise.
     * @default 1
     */
    replicas: z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).default(1),
    /**
     * Replicas of single Deployments, by name (for example `{ 'reviews-v2': 3 }`).
     * @default {}
     */
    replicasByDeployment: z
      .record(z.string(), z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }))
      .default({}),
  })
  .strict();

export type BookinfoConfig = z.output<typeof bookinfoSchema>;
