import { z } from 'zod';

/**
 * The service catalogue: every service of the mesh as a record (ports, versions, identity, database or not). The
 * charts, the call graph, the diagram and the analyzer's context are all built from the records; Bookinfo's are the
 * default catalogue's (bookinfo-catalogue.ts), and an environment adds its own in `services`.
 */

/** Protocols Istio reads from a Service port's name (`<protocol>[-<suffix>]`). */
export const SERVICE_PROTOCOLS = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'tcp',
  'tls',
  'mongo',
  'mysql',
  'redis',
] as const;
export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[number];

/** Protocols that carry HTTP requests: only these can be matched by methods and paths, or routed by a VirtualService. */
export const HTTP_PROTOCOLS: readonly ServiceProtocol[] = ['http', 'http2', 'grpc', 'grpc-web'];

/** One port of a service: the Service's and the containers' port, named by its protocol. */
export interface ServicePort {
  readonly port: number;
  readonly protocol: ServiceProtocol;
  /** The Service port's name: the protocol, with a suffix when two ports share a protocol. */
  readonly name: string;
}

/** A mesh identity: the ServiceAccount pods run as, and its labels. */
export interface ServiceIdentityRecord {
  readonly serviceAccount: string;
  /** @default { account: <serviceAccount> } */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An environment variable: a literal, or a key of a Secret. */
export type EnvVarRecord =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
    };

/** CPU in millicores and memory in MiB: numbers, so that requests and limits compare without parsing quantities. */
export interface ComputeResources {
  readonly cpuMillicores: number;
  readonly memoryMebibytes: number;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: ComputeResources;
  readonly limits: ComputeResources;
}

/** An HTTP endpoint the app answers while healthy, and how long it may take to start. */
export interface HealthProbe {
  readonly path: string;
  /** Longest start-up to wait for before liveness checks begin. */
  readonly startupSeconds: number;
}

/** An emptyDir volume and where the container mounts it (volume and mount share the name). */
export interface EmptyDirMount {
  readonly name: string;
  readonly mountPath: string;
}

/** One version of a service: one Deployment, `<service>-<version>`. */
export interface ServiceVersionRecord {
  readonly version: string;
  readonly image: string;
  readonly replicas: number;
  readonly env: readonly EnvVarRecord[];
  readonly resources: ContainerResources;
  /** @default - no probes */
  readonly probes?: HealthProbe;
  readonly emptyDirs: readonly EmptyDirMount[];
  /** @default - the image's own user */
  readonly runAsUser?: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** The identity this version runs as. */
  readonly identity: ServiceIdentityRecord;
}

/** A service of the mesh, as the charts read it. */
export interface ServiceRecord {
  readonly name: string;
  readonly ports: readonly ServicePort[];
  /** A database: TCP only, so no DestinationRule subsets, routes or HTTP rules. */
  readonly database: boolean;
  /** The versions that run, each a Deployment. */
  readonly versions: readonly ServiceVersionRecord[];
  /** Labels on every object of the service (never in selectors). */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations on every object of the service. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** Resources of a service version that gives none. */
export const DEFAULT_SERVICE_RESOURCES: ContainerResources = {
  requests: { cpuMillicores: 50, memoryMebibytes: 64 },
  limits: { cpuMillicores: 500, memoryMebibytes: 256 },
};

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (what: string) =>
  z
    .string({ error: `needs ${what}` })
    .max(63, { error: 'must be at most 63 characters' })
    .regex(DNS_LABEL, { error: 'must be a DNS label: lowercase letters, digits and hyphens, starting with a letter' });
const portNumber = z
  .int({ error: 'must be a whole port number' })
  .min(1, { error: 'must be a port from 1 to 65535' })
  .max(65535, {
    error: 'must be a port from 1 to 65535',
  });
const protocol = z.enum(SERVICE_PROTOCOLS, {
  error: `must be a protocol Istio knows: ${SERVICE_PROTOCOLS.join(', ')}`,
});

const identitySchema = z
  .union([
    dnsLabel('a ServiceAccount name'),
    z
      .object({
        serviceAccount: dnsLabel('a ServiceAccount name'),
        labels: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
  ])
  .transform((identity): ServiceIdentityRecord =>
    typeof identity === 'string' ? { serviceAccount: identity } : identity,
  );

const envSchema = z.union([
  z.object({ name: z.string().min(1), value: z.string() }).strict(),
  z
    .object({
      name: z.string().min(1),
      valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }).strict() }).strict(),
    })
    .strict(),
]);

/** CPU in millicores (1000 = one core) and memory in MiB, of a container's requests or limits. */
export const computeSchema = z
  .object({
    cpuMillicores: z
      .int({ error: 'must be a whole number of millicores' })
      .min(1, { error: 'must be at least 1' })
      .optional(),
    memoryMebibytes: z
      .int({ error: 'must be a whole number of MiB' })
      .min(1, { error: 'must be at least 1' })
      .optional(),
  })
  .strict();

const versionSchema = z
  .object({
    /** The `version` label, the subset's name and the Deployment's suffix. */
    version: dnsLabel('a version, such as v1'),
    /** The container image, with its registry and tag (a plain string, so a hub can be put in front of it). */
    image: z
      .string({ error: 'needs an image, such as docker.io/example/payments:1.0.0' })
      .regex(/^[^\s]+$/, { error: 'must be an image reference without spaces' }),
    /** @default 1 */
    replicas: z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).default(1),
    /** @default [] */
    env: z.array(envSchema).default([]),
    /** Over DEFAULT_SERVICE_RESOURCES. @default DEFAULT_SERVICE_RESOURCES */
    resources: z.object({ requests: computeSchema.optional(), limits: computeSchema.optional() }).strict().optional(),
    /** Start-up, readiness and liveness checks on an HTTP path of the first port. @default - no probes */
    probes: z
      .object({
        path: z.string().startsWith('/', { error: 'must be a path starting with /' }),
        startupSeconds: z.int().min(1).default(60),
      })
      .strict()
      .optional(),
    /** Writable emptyDir volumes; the root filesystem is read-only unless `readOnlyRootFilesystem` is false. @default [] */
    emptyDirs: z
      .array(z.object({ name: dnsLabel('a volume name'), mountPath: z.string().startsWith('/') }).strict())
      .default([]),
    /** @default - the image's own (non-root) user */
    runAsUser: z.int().min(1, { error: 'must be a non-root user id (1 or more)' }).optional(),
    /** @default true */
    readOnlyRootFilesystem: z.boolean().default(true),
    /** @default {} */
    podAnnotations: z.record(z.string(), z.string()).default({}),
    /** @default - the service's identity */
    identity: identitySchema.optional(),
  })
  .strict();

/** A service record as an environment writes it: `port` (HTTP) or `ports`, versions with an image each. */
export const serviceSchema = z
  .object({
    name: dnsLabel('a name'),
    /** The one port of an HTTP service (shorthand for `ports: [{ port, protocol: 'http' }]`). @default - see ports */
    port: portNumber.optional(),
    /** @default 'http', or 'tcp' for a database (with `port`) */
    protocol: protocol.optional(),
    /** Ports with their protocols. @default - [{ port, protocol }] */
    ports: z
      .array(z.object({ port: portNumber, protocol: protocol.default('http') }).strict())
      .min(1, { error: 'needs at least one port' })
      .optional(),
    /** A database: TCP, so no subsets, routes or HTTP rules. @default false */
    database: z.boolean().default(false),
    /** The ServiceAccount (a name, or a name and its labels) that its versions run as. @default - the service's name */
    identity: identitySchema.optional(),
    versions: z.array(versionSchema).min(1, { error: 'needs at least one version' }),
    /** @default {} */
    labels: z.record(z.string(), z.string()).default({}),
    /** @default {} */
    annotations: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .superRefine((service, ctx) => {
    if ((service.port === undefined) === (service.ports === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        input: service.port,
        message: `service "${service.name}": give either port or ports`,
      });
    }
    if (service.ports && service.protocol) {
      ctx.addIssue({
        code: 'custom',
        path: ['protocol'],
        input: service.protocol,
        message: 'goes with port; give each of ports its protocol',
      });
    }
    const versions = service.versions.map((v) => v.version);
    versions
      .filter((v, i) => versions.indexOf(v) !== i)
      .forEach((v) =>
        ctx.addIssue({
          code: 'custom',
          path: ['versions'],
          input: v,
          message: `service "${service.name}" lists version ${v} twice`,
        }),
      );
    for (const [i, v] of service.versions.entries()) {
      const { requests, limits } = resourcesOf(v.resources);
      for (const field of ['cpuMillicores', 'memoryMebibytes'] as const) {
        if (requests[field] > limits[field]) {
          ctx.addIssue({
            code: 'custom',
            path: ['versions', i, 'resources'],
            input: v.resources,
            message: `requests.${field} (${requests[field]}) must not exceed limits.${field} (${limits[field]})`,
          });
        }
      }
    }
  })
  .transform((service): ServiceRecord => {
    const ports = service.ports ?? [
      { port: service.port!, protocol: service.protocol ?? (service.database ? 'tcp' : 'http') },
    ];
    const identity = service.identity ?? { serviceAccount: service.name };
    return {
      name: service.name,
      ports: namedPorts(ports),
      database: service.database,
      labels: service.labels,
      annotations: service.annotations,
      versions: service.versions.map(({ identity: own, resources, ...version }) => ({
        ...version,
        resources: resourcesOf(resources),
        identity: own ?? identity,
      })),
    };
  });

export type ServiceInput = z.input<typeof serviceSchema>;

function resourcesOf(change?: {
  requests?: Partial<ComputeResources>;
  limits?: Partial<ComputeResources>;
}): ContainerResources {
  return {
    requests: { ...DEFAULT_SERVICE_RESOURCES.requests, ...change?.requests },
    limits: { ...DEFAULT_SERVICE_RESOURCES.limits, ...change?.limits },
  };
}

/** Ports named by protocol; a protocol that two ports share gets the port number as a suffix (`http-8080`). */
export function namedPorts(
  ports: readonly { readonly port: number; readonly protocol: ServiceProtocol }[],
): ServicePort[] {
  return ports.map(({ port, protocol }) => ({
    port,
    protocol,
    name: ports.filter((p) => p.protocol === protocol).length > 1 ? `${protocol}-${port}` : protocol,
  }));
}

/**
 * The services an environment adds to the catalogue. Names must be unique, and must not be one of `reserved` (the
 * names the default catalogue, Bookinfo, already uses, and the ingress gateway's caller name); identities must be
 * their own, not another service's nor one of `reservedIdentities`.
 */
export const servicesSchema = (
  reserved: readonly string[],
  reservedBy: string,
  reservedIdentities: readonly string[],
) =>
  z
    .array(serviceSchema)
    .default([])
    .superRefine((services, ctx) => {
      const names = services.map((s) => s.name);
      // Each service writes the ServiceAccounts its versions run as, so no two services may name the same one.
      const owners = new Map<string, string>(reservedIdentities.map((account) => [account, 'Bookinfo']));
      services.forEach((service, index) => {
        // (A record that failed its own checks is not transformed, and has no identities yet.)
        const accounts = (service.versions ?? []).map((v) => v.identity?.serviceAccount).filter((a) => a !== undefined);
        for (const account of new Set(accounts)) {
          const owner = owners.get(account);
          if (owner !== undefined && owner !== service.name) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'identity'],
              input: account,
              message: `service "${service.name}" runs as ServiceAccount "${account}", which ${owner === 'Bookinfo' ? "is one of Bookinfo's" : `service "${owner}" runs as`}; give it an identity of its own`,
            });
          }
          owners.set(account, service.name);
        }
      });
      services.forEach((service, index) => {
        if (names.indexOf(service.name) !== index) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            input: service.name,
            message: `service "${service.name}" is listed twice; names must be unique`,
          });
        }
        if (reserved.includes(service.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            input: service.name,
            message: `service "${service.name}" collides with ${reservedBy}; choose another name than ${reserved.join(', ')}`,
          });
        }
      });
    });
