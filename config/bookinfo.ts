import { z } from 'zod';
import { computeSchema, type ContainerResources } from './services';

/**
 * Bookinfo's services and the versions upstream Istio 1.30.3 ships for each
 * (samples/bookinfo/platform/kube: bookinfo.yaml, bookinfo-details-v2.yaml, bookinfo-ratings-v2.yaml and
 * bookinfo-ratings-v2-mysql.yaml). `ratings` `v2` reads its ratings from MongoDB, `v2-mysql` from MySQL: upstream labels
 * that Deployment `version: v2-mysql`, so that is its version (and its subset name) here too.
 */
export const BOOKINFO_VERSIONS = {
  productpage: ['v1'],
  details: ['v1', 'v2'],
  ratings: ['v1', 'v2', 'v2-mysql'],
  reviews: ['v1', 'v2', 'v3'],
} as const;

export type BookinfoService = keyof typeof BOOKINFO_VERSIONS;
export const BOOKINFO_SERVICES = Object.keys(BOOKINFO_VERSIONS) as BookinfoService[];

/** The port every Bookinfo service listens on, named `http` on its Service. */
export const BOOKINFO_PORT = 9080;

/**
 * The databases behind the database-backed ratings versions (upstream bookinfo-db.yaml and bookinfo-mysql.yaml).
 * A database runs only when the ratings version that reads it runs.
 */
export const BOOKINFO_DATABASES = {
  mongodb: { port: 27017, protocol: 'mongo', readBy: 'v2' },
  mysqldb: { port: 3306, protocol: 'mysql', readBy: 'v2-mysql' },
} as const;

export type BookinfoDatabase = keyof typeof BOOKINFO_DATABASES;

/** One Deployment of Bookinfo: an app (a service or a database) at one version. */
export interface BookinfoWorkload {
  /** Deployment name, `<app>-<version>` as upstream names it. */
  readonly deployment: string;
  /** The `app` label: the Service that selects it. */
  readonly app: BookinfoService | BookinfoDatabase;
  /** The `version` label (a DestinationRule subset selects it). */
  readonly version: string;
  /** The ServiceAccount its pods run as: the identity that AuthorizationPolicies name. */
  readonly serviceAccount: string;
  readonly kind: 'service' | 'database';
}

/** Services in the order upstream bookinfo.yaml lists them. */
const UPSTREAM_ORDER: readonly BookinfoService[] = ['details', 'ratings', 'reviews', 'productpage'];

/**
 * The ServiceAccount that pods of a Bookinfo service version run as: `bookinfo-<service>`, except the database-backed
 * ratings versions, which run as `bookinfo-ratings-v2` (upstream bookinfo-ratings-v2.yaml) so that only they can be
 * allowed to reach the database.
 */
export function bookinfoServiceAccount(service: BookinfoService, version: string): string {
  return service === 'ratings' && (version === 'v2' || version === 'v2-mysql')
    ? 'bookinfo-ratings-v2'
    : `bookinfo-${service}`;
}

/** Every ServiceAccount Bookinfo's workloads can run as. */
export const BOOKINFO_SERVICE_ACCOUNTS: readonly string[] = [
  ...new Set(
    Object.entries(BOOKINFO_VERSIONS).flatMap(([service, versions]) =>
      versions.map((v) => bookinfoServiceAccount(service as BookinfoService, v)),
    ),
  ),
  ...Object.keys(BOOKINFO_DATABASES).map((db) => `bookinfo-${db}`),
];

/** The databases that the configured ratings versions read. */
export function bookinfoDatabases(versions: BookinfoConfig['versions']): BookinfoDatabase[] {
  return (Object.keys(BOOKINFO_DATABASES) as BookinfoDatabase[]).filter((db) =>
    versions.ratings.includes(BOOKINFO_DATABASES[db].readBy),
  );
}

/** Every Deployment the configured versions make, services in upstream order, then their databases. */
export function bookinfoWorkloads(versions: BookinfoConfig['versions']): BookinfoWorkload[] {
  const services = UPSTREAM_ORDER.flatMap((app) =>
    versions[app].map((version) => ({
      deployment: `${app}-${version}`,
      app,
      version,
      serviceAccount: bookinfoServiceAccount(app, version),
      kind: 'service' as const,
    })),
  );
  const databases = bookinfoDatabases(versions).map((app) => ({
    deployment: `${app}-v1`,
    app,
    version: 'v1',
    serviceAccount: `bookinfo-${app}`,
    kind: 'database' as const,
  }));
  return [...services, ...databases];
}

/** Every app that can run (services and their databases) with every version it can run at. */
export const BOOKINFO_APP_VERSIONS: Readonly<Record<BookinfoWorkload['app'], readonly string[]>> = {
  ...BOOKINFO_VERSIONS,
  mongodb: ['v1'],
  mysqldb: ['v1'],
};

const sized = (request: [number, number], limit: [number, number]): ContainerResources => ({
  requests: { cpuMillicores: request[0], memoryMebibytes: request[1] },
  limits: { cpuMillicores: limit[0], memoryMebibytes: limit[1] },
});

/**
 * Requests and limits sized for the sample's traffic (a few requests a second), by app. Requests are what the apps use
 * idle; limits leave room for start-up (the reviews JVM) and bursts without letting one pod starve a node.
 */
export const BOOKINFO_DEFAULT_RESOURCES: Readonly<Record<BookinfoWorkload['app'], ContainerResources>> = {
  details: sized([50, 64], [500, 128]), // Ruby WEBrick, one process
  ratings: sized([50, 64], [500, 128]), // Node.js, one process
  reviews: sized([100, 256], [1000, 512]), // Open Liberty on a JVM: CPU-heavy start, heap sized from the limit
  productpage: sized([100, 128], [1000, 512]), // Python with gunicorn workers
  mongodb: sized([100, 256], [1000, 1024]),
  mysqldb: sized([100, 512], [1000, 1024]),
};

/** The resources of one workload: the defaults of its app with the configured values over them. */
export function bookinfoResources(
  config: Pick<BookinfoConfig, 'resourcesByDeployment'>,
  workload: BookinfoWorkload,
): ContainerResources {
  const defaults = BOOKINFO_DEFAULT_RESOURCES[workload.app];
  const change = config.resourcesByDeployment[workload.deployment];
  return {
    requests: { ...defaults.requests, ...change?.requests },
    limits: { ...defaults.limits, ...change?.limits },
  };
}

const versionsOf = <S extends BookinfoService>(
  service: S,
  defaults: readonly (typeof BOOKINFO_VERSIONS)[S][number][],
) =>
  z
    .array(
      z.enum(BOOKINFO_VERSIONS[service] as unknown as [string, ...string[]], {
        error: `must be a version of ${service} that upstream Bookinfo ships: ${BOOKINFO_VERSIONS[service].join(', ')}`,
      }),
    )
    .min(1, { error: `${service} needs at least one version` })
    .refine((v) => new Set(v).size === v.length, { error: 'lists a version twice' })
    .default([...defaults]);

const replicaCount = z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' });

// Kubernetes label and annotation syntax (apimachinery validation: qualified names and label values).
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const qualifiedName = z
  .string()
  .regex(QUALIFIED_NAME, {
    error: 'must be a label or annotation key: an optional DNS prefix and "/", then letters, digits, "-", "_" or "."',
  })
  .refine((key) => key.split('/').pop()!.length <= 63, { error: 'must have a name part of at most 63 characters' })
  .refine((key) => !key.includes('/') || key.indexOf('/') <= 253, {
    error: 'must have a prefix of at most 253 characters',
  });
/** Keys upstream sets on Bookinfo's objects and that Services, subsets and policies select on. */
const RESERVED_LABELS = ['app', 'version', 'service', 'account'];
/** Pod annotations upstream sets on productpage (Prometheus scraping). */
const RESERVED_POD_ANNOTATIONS = ['prometheus.io/scrape', 'prometheus.io/port', 'prometheus.io/path'];
const notReserved = (reserved: readonly string[]) => (key: string) => !reserved.includes(key);

/** A record whose bad key reports the key schema's own message rather than zod's generic one. */
const recordOf = <V extends z.ZodType>(key: z.ZodType<string>, value: V) =>
  z.record(key, value, {
    error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined),
  });

export const bookinfoSchema = z
  .object({
    /**
     * Image registry of the Bookinfo images (`<registry>/examples-bookinfo-<service>-<version>:<tag>`), when they
     * come from elsewhere than the mesh's images. Binary Authorization admits it.
     * @default - the environment's `istio.hub` (docker.io/istio)
     */
    registry: z
      .string()
      .regex(/^[^\s:/][^\s]*[^\s/]$/, { error: 'must be a registry path without spaces, such as docker.io/istio' })
      .optional(),
    /**
     * Tag of the Bookinfo images.
     * @default '1.20.3' (the tag Istio 1.30.3's bookinfo.yaml uses)
     */
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, { error: 'must be an image tag: letters, digits, "_", "." or "-", no spaces' })
      .default('1.20.3'),
    /**
     * Which versions of each service run. `details` `v2`, and `ratings` `v2` (with MongoDB, `mongodb-v1`) or
     * `v2-mysql` (with MySQL, `mysqldb-v1`), are the upstream optional components.
     * @default - the versions of upstream bookinfo.yaml
     */
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
     * Replicas of each service Deployment unless `replicasByDeployment` says otherwise. Databases always run one
     * (their storage is an emptyDir, which replicas cannot share).
     * @default 1
     */
    replicas: replicaCount.default(1),
    /**
     * Replicas of single service Deployments, by name (for example `{ 'reviews-v2': 3 }`).
     * @default {}
     */
    replicasByDeployment: z.record(z.string(), replicaCount).default({}),
    /**
     * CPU and memory of single Deployments (services or databases), by name, over BOOKINFO_DEFAULT_RESOURCES; for
     * example `{ 'reviews-v1': { limits: { memoryMebibytes: 1024 } } }`.
     * @default {}
     */
    resourcesByDeployment: z
      .record(z.string(), z.object({ requests: computeSchema.optional(), limits: computeSchema.optional() }).strict())
      .default({}),
    /**
     * The Secret that holds MySQL's root password, for `mysqldb-v1` and `ratings-v2-mysql`. The synth never writes
     * it: create it in the namespace before deploying (see the README), so that no password is in the code or dist/.
     * @default { secretName: 'mysql-credentials', key: 'rootpasswd' } (upstream bookinfo-mysql.yaml's names)
     */
    mysqlCredentials: z
      .object({
        /** @default 'mysql-credentials' */
        secretName: z
          .string()
          .max(253, { error: 'must be at most 253 characters' })
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
            error: 'must be a Secret name: lowercase letters, digits, "-" and "."',
          })
          .default('mysql-credentials'),
        /** @default 'rootpasswd' */
        key: z
          .string()
          .max(253, { error: 'must be at most 253 characters' })
          .regex(/^[-._a-zA-Z0-9]+$/, { error: 'must be a Secret key: letters, digits, "-", "_" or "."' })
          .default('rootpasswd'),
      })
      .strict()
      .default({ secretName: 'mysql-credentials', key: 'rootpasswd' }),
    /**
     * Labels added to every Bookinfo object and pod (never to selectors). `app`, `version`, `service` and `account`
     * are Bookinfo's own.
     * @default {}
     */
    labels: recordOf(
      qualifiedName.refine(notReserved(RESERVED_LABELS), {
        error: `is set by Bookinfo itself; choose another key than ${RESERVED_LABELS.join(', ')}`,
      }),
      z.string().max(63, { error: 'must be at most 63 characters' }).regex(LABEL_VALUE, {
        error: 'must be a label value: letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      }),
    ).default({}),
    /**
     * Annotations added to every Bookinfo object's metadata.
     * @default {}
     */
    annotations: recordOf(qualifiedName, z.string()).default({}),
    /**
     * Annotations added to every Bookinfo pod, for example `sidecar.istio.io/proxyCPU`. The `prometheus.io/*` keys are
     * upstream's, on productpage.
     * @default {}
     */
    podAnnotations: recordOf(
      qualifiedName.refine(notReserved(RESERVED_POD_ANNOTATIONS), {
        error: `is set by Bookinfo itself; choose another key than ${RESERVED_POD_ANNOTATIONS.join(', ')}`,
      }),
      z.string(),
    ).default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const workloads = bookinfoWorkloads(config.versions);
    if (config.versions.ratings.includes('v2') && config.versions.ratings.includes('v2-mysql')) {
      ctx.addIssue({
        code: 'custom',
        path: ['versions', 'ratings'],
        input: config.versions.ratings,
        message: 'v2 (MongoDB) and v2-mysql (MySQL) are mutually exclusive, as upstream says; choose one',
      });
    }
    const services = workloads.filter((w) => w.kind === 'service').map((w) => w.deployment);
    for (const name of Object.keys(config.replicasByDeployment)) {
      if (!services.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['replicasByDeployment', name],
          input: name,
          message: `is not a service Deployment of this configuration; the Deployments are ${services.join(', ')}`,
        });
      }
    }
    for (const name of Object.keys(config.resourcesByDeployment)) {
      const workload = workloads.find((w) => w.deployment === name);
      if (!workload) {
        ctx.addIssue({
          code: 'custom',
          path: ['resourcesByDeployment', name],
          input: name,
          message: `is not a Deployment of this configuration; the Deployments are ${workloads.map((w) => w.deployment).join(', ')}`,
        });
        continue;
      }
      const { requests, limits } = bookinfoResources(config, workload);
      for (const field of ['cpuMillicores', 'memoryMebibytes'] as const) {
        if (requests[field] > limits[field]) {
          ctx.addIssue({
            code: 'custom',
            path: ['resourcesByDeployment', name],
            input: config.resourcesByDeployment[name],
            message: `requests.${field} (${requests[field]}) must not exceed limits.${field} (${limits[field]})`,
          });
        }
      }
    }
  });

/** The Bookinfo configuration as written in an environment: fields with defaults may be left out. */
export type BookinfoInput = z.input<typeof bookinfoSchema>;
export type BookinfoConfig = z.output<typeof bookinfoSchema>;
