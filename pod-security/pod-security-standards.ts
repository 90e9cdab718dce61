/**
 * The Kubernetes Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/, policy
 * version "latest" as of Kubernetes 1.33), checked on a plain pod template: what Pod Security Admission would say of a
 * pod before it reaches a cluster. Self-contained (plain JSON in, findings out) so that any chart or pass can use it:
 * Bookinfo's tests hold its pods to `restricted`; sidecar injection picks the namespace's PSA labels with
 * `podSecurityLevel` of the injected pods.
 */

/** The three levels, from the most permissive. */
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** The parts of a container this module reads (Kubernetes JSON field names). */
export interface ContainerLike {
  readonly name: string;
  readonly ports?: readonly { readonly hostPort?: number }[];
  readonly securityContext?: SecurityContextLike & {
    readonly privileged?: boolean;
    readonly allowPrivilegeEscalation?: boolean;
    readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
    readonly procMount?: string;
  };
}

/** Fields shared by the pod's and the containers' security contexts. */
export interface SecurityContextLike {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seccompProfile?: { readonly type?: string };
  readonly appArmorProfile?: { readonly type?: string };
  readonly seLinuxOptions?: { readonly type?: string; readonly user?: string; readonly role?: string };
  readonly windowsOptions?: { readonly hostProcess?: boolean };
}

/** The parts of a pod spec this module reads. */
export interface PodSpecLike {
  readonly os?: { readonly name?: string };
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly securityContext?: SecurityContextLike & { readonly sysctls?: readonly { readonly name: string }[] };
  readonly volumes?: readonly ({ readonly name: string } & Record<string, unknown>)[];
  readonly containers: readonly ContainerLike[];
  readonly initContainers?: readonly ContainerLike[];
  readonly ephemeralContainers?: readonly ContainerLike[];
}

/** A pod, or a workload's pod template. */
export interface PodTemplateLike {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
  readonly spec: PodSpecLike;
}

/** One way a pod falls short of a level. */
export interface PodSecurityViolation {
  /** The lowest level that forbids it. */
  readonly level: Exclude<PodSecurityLevel, 'privileged'>;
  /** The control's name in the Pod Security Standards. */
  readonly control: string;
  /** Where: the field path, with containers by name. */
  readonly field: string;
  /** What is allowed there. */
  readonly message: string;
}

const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const RESTRICTED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
/** Profile types that confine a container, for seccomp and AppArmor alike. */
const CONFINED_PROFILES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

interface Located {
  readonly path: string;
  readonly container: ContainerLike;
}

/** Every container, init container and ephemeral container, with its field path. */
function containersOf(spec: PodSpecLike): Located[] {
  const of = (list: readonly ContainerLike[] | undefined, field: string) =>
    (list ?? []).map((container) => ({ path: `spec.${field}[${container.name}]`, container }));
  return [
    ...of(spec.containers, 'containers'),
    ...of(spec.initContainers, 'initContainers'),
    ...of(spec.ephemeralContainers, 'ephemeralContainers'),
  ];
}

type Check = (pod: PodTemplateLike, containers: Located[]) => Omit<PodSecurityViolation, 'level' | 'control'>[];

interface Control {
  readonly level: PodSecurityViolation['level'];
  readonly control: string;
  readonly check: Check;
}

/** Pod-level and container-level copies of one security-context field. */
function contexts(
  pod: PodTemplateLike,
  containers: Located[],
): { path: string; context: SecurityContextLike | undefined }[] {
  return [
    { path: 'spec.securityContext', context: pod.spec.securityContext },
    ...containers.map(({ path, container }) => ({
      path: `${path}.securityContext`,
      context: container.securityContext,
    })),
  ];
}

const isWindows = (pod: PodTemplateLike) => pod.spec.os?.name === 'windows';

const CONTROLS: readonly Control[] = [
  {
    level: 'baseline',
    control: 'HostProcess',
    check: (pod, containers) =>
      contexts(pod, containers)
        .filter(({ context }) => context?.windowsOptions?.hostProcess === true)
        .map(({ path }) => ({ field: `${path}.windowsOptions.hostProcess`, message: 'must be unset or false' })),
  },
  {
    level: 'baseline',
    control: 'Host Namespaces',
    check: (pod) =>
      (['hostNetwork', 'hostPID', 'hostIPC'] as const)
        .filter((field) => pod.spec[field] === true)
        .map((field) => ({ field: `spec.${field}`, message: 'must be unset or false' })),
  },
  {
    level: 'baseline',
    control: 'Privileged Containers',
    check: (_pod, containers) =>
      containers
        .filter(({ container }) => container.securityContext?.privileged === true)
        .map(({ path }) => ({ field: `${path}.securityContext.privileged`, message: 'must be unset or false' })),
  },
  {
    level: 'baseline',
    control: 'Capabilities',
    check: (_pod, containers) =>
      containers.flatMap(({ path, container }) =>
        (container.securityContext?.capabilities?.add ?? [])
          .filter((capability) => !BASELINE_CAPABILITIES.includes(capability))
          .map((capability) => ({
            field: `${path}.securityContext.capabilities.add`,
            message: `must not add ${capability}; baseline allows only ${BASELINE_CAPABILITIES.join(', ')}`,
          })),
      ),
  },
  {
    level: 'baseline',
    control: 'HostPath Volumes',
    check: (pod) =>
      (pod.spec.volumes ?? [])
        .filter((volume) => volume.hostPath !== undefined)
        .map((volume) => ({ field: `spec.volumes[${volume.name}].hostPath`, message: 'must be unset' })),
  },
  {
    level: 'baseline',
    control: 'Host Ports',
    check: (_pod, containers) =>
      containers.flatMap(({ path, container }) =>
        (container.ports ?? [])
          .filter((port) => port.hostPort !== undefined && port.hostPort !== 0)
          .map((port) => ({
            field: `${path}.ports[hostPort=${port.hostPort}]`,
            message: 'hostPort must be unset or 0',
          })),
      ),
  },
  {
    level: 'baseline',
    control: 'AppArmor',
    check: (pod, containers) => [
      ...contexts(pod, containers)
        .filter(
          ({ context }) =>
            context?.appArmorProfile?.type !== undefined && !CONFINED_PROFILES.includes(context.appArmorProfile.type),
        )
        .map(({ path }) => ({
          field: `${path}.appArmorProfile.type`,
          message: 'must be unset, RuntimeDefault or Localhost',
        })),
      ...Object.entries(pod.metadata?.annotations ?? {})
        .filter(
          ([key, value]) =>
            key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !value.startsWith('localhost/'),
        )
        .map(([key]) => ({
          field: `metadata.annotations["${key}"]`,
          message: 'must be runtime/default or localhost/*',
        })),
    ],
  },
  {
    level: 'baseline',
    control: 'SELinux',
    check: (pod, containers) =>
      contexts(pod, containers).flatMap(({ path, context }) => {
        const options = context?.seLinuxOptions;
        if (!options) return [];
        return [
          ...(options.type !== undefined && !SELINUX_TYPES.includes(options.type)
            ? [
                {
                  field: `${path}.seLinuxOptions.type`,
                  message: `must be unset or one of ${SELINUX_TYPES.filter(Boolean).join(', ')}`,
                },
              ]
            : []),
          ...(['user', 'role'] as const)
            .filter((field) => options[field] !== undefined && options[field] !== '')
            .map((field) => ({ field: `${path}.seLinuxOptions.${field}`, message: 'must be unset or empty' })),
        ];
      }),
  },
  {
    level: 'baseline',
    control: '/proc Mount Type',
    check: (_pod, containers) =>
      containers
        .filter(({ container }) => (container.securityContext?.procMount ?? 'Default') !== 'Default')
        .map(({ path }) => ({ field: `${path}.securityContext.procMount`, message: 'must be unset or Default' })),
  },
  {
    level: 'baseline',
    control: 'Seccomp',
    check: (pod, containers) =>
      contexts(pod, containers)
        .filter(({ context }) => context?.seccompProfile?.type === 'Unconfined')
        .map(({ path }) => ({ field: `${path}.seccompProfile.type`, message: 'must not be Unconfined' })),
  },
  {
    level: 'baseline',
    control: 'Sysctls',
    check: (pod) =>
      (pod.spec.securityContext?.sysctls ?? [])
        .filter(({ name }) => !SAFE_SYSCTLS.includes(name))
        .map(({ name }) => ({
          field: `spec.securityContext.sysctls[${name}]`,
          message: `must be one of ${SAFE_SYSCTLS.join(', ')}`,
        })),
  },
  {
    level: 'restricted',
    control: 'Volume Types',
    check: (pod) =>
      (pod.spec.volumes ?? [])
        // A volume with no source is defaulted to emptyDir by the API server (Istio's sidecar volumes are written so).
        .filter((volume) => {
          const sources = Object.keys(volume).filter((key) => key !== 'name');
          return sources.length > 0 && !sources.some((key) => RESTRICTED_VOLUME_SOURCES.includes(key));
        })
        .map((volume) => ({
          field: `spec.volumes[${volume.name}]`,
          message: `must be one of ${RESTRICTED_VOLUME_SOURCES.join(', ')}`,
        })),
  },
  {
    level: 'restricted',
    control: 'Privilege Escalation',
    check: (pod, containers) =>
      isWindows(pod)
        ? []
        : containers
            .filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false)
            .map(({ path }) => ({
              field: `${path}.securityContext.allowPrivilegeEscalation`,
              message: 'must be false',
            })),
  },
  {
    level: 'restricted',
    control: 'Running as Non-root',
    check: (pod, containers) =>
      containers
        .filter(
          ({ container }) =>
            (container.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot) !== true,
        )
        .map(({ path }) => ({
          field: `${path}.securityContext.runAsNonRoot`,
          message: 'must be true, on the container or (unset there) on the pod',
        })),
  },
  {
    level: 'restricted',
    control: 'Running as Non-root user',
    check: (pod, containers) =>
      contexts(pod, containers)
        .filter(({ context }) => context?.runAsUser === 0)
        .map(({ path }) => ({ field: `${path}.runAsUser`, message: 'must not be 0' })),
  },
  {
    level: 'restricted',
    control: 'Seccomp',
    check: (pod, containers) =>
      isWindows(pod)
        ? []
        : containers
            .filter(({ container }) => {
              const type =
                container.securityContext?.seccompProfile?.type ?? pod.spec.securityContext?.seccompProfile?.type;
              return type === undefined || !CONFINED_PROFILES.includes(type);
            })
            .map(({ path }) => ({
              field: `${path}.securityContext.seccompProfile.type`,
              message: 'must be RuntimeDefault or Localhost, on the container or (unset there) on the pod',
            })),
  },
  {
    level: 'restricted',
    control: 'Capabilities',
    check: (pod, containers) =>
      isWindows(pod)
        ? []
        : containers.flatMap(({ path, container }) => {
            const capabilities = container.securityContext?.capabilities;
            return [
              ...(capabilities?.drop?.includes('ALL')
                ? []
                : [{ field: `${path}.securityContext.capabilities.drop`, message: 'must include ALL' }]),
              ...(capabilities?.add ?? [])
                .filter((capability) => capability !== 'NET_BIND_SERVICE')
                .map((capability) => ({
                  field: `${path}.securityContext.capabilities.add`,
                  message: `must not add ${capability}; restricted allows only NET_BIND_SERVICE`,
                })),
            ];
          }),
  },
];

/**
 * The ways a pod falls short of a level: empty when the pod meets it. `restricted` includes every `baseline` control;
 * `privileged` has none.
 */
export function podSecurityViolations(pod: PodTemplateLike, level: PodSecurityLevel): PodSecurityViolation[] {
  const rank = POD_SECURITY_LEVELS.indexOf(level);
  const containers = containersOf(pod.spec);
  return CONTROLS.filter((c) => POD_SECURITY_LEVELS.indexOf(c.level) <= rank).flatMap((c) =>
    c.check(pod, containers).map((v) => ({ level: c.level, control: c.control, ...v })),
  );
}

/** The most restrictive level that every given pod meets: what a namespace holding them can enforce. */
export function podSecurityLevel(pods: readonly PodTemplateLike[]): PodSecurityLevel {
  const violations = pods.flatMap((pod) => podSecurityViolations(pod, 'restricted'));
  if (violations.length === 0) return 'restricted';
  return violations.some((v) => v.level === 'baseline') ? 'privileged' : 'baseline';
}
