import { isJsonObject, type Container, type JsonObject, type ObjectMeta, type PodSpec } from './kube-types';

/**
 * The Kubernetes Pod Security Standards (v1.33, `latest`), as Pod Security Admission checks a pod: which rules of a
 * level a pod breaks. Used to make sure the namespace's `pod-security.kubernetes.io/enforce` label tells the truth
 * about the pods synthesized into it, sidecar included.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Capabilities baseline lets a container add (the container runtimes' defaults). */
const BASELINE_CAPABILITIES = new Set([
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
]);
const SAFE_SYSCTLS = new Set([
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
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** Volume types restricted allows; a volume with no source is defaulted to emptyDir by the API server. */
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Every rule of `level` the pod breaks, each naming the container or volume; empty when the pod meets it. */
export function podSecurityViolations(metadata: ObjectMeta, spec: PodSpec, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const violations = baselineViolations(metadata, spec);
  if (level === 'restricted') violations.push(...restrictedViolations(spec));
  return violations;
}

function containersOf(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
}

function securityContext(c: { securityContext?: JsonObject }): JsonObject {
  return isJsonObject(c.securityContext) ? c.securityContext : {};
}

function baselineViolations(metadata: ObjectMeta, spec: PodSpec): string[] {
  const out: string[] = [];
  const pod = securityContext(spec);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) out.push(`${field} is true`);
  }
  if (isJsonObject(pod.windowsOptions) && pod.windowsOptions.hostProcess === true)
    out.push('pod is a Windows host process');
  checkSeccomp(pod, 'pod', out);
  checkSeLinux(pod, 'pod', out);
  checkAppArmor(pod, 'pod', out);
  for (const sysctl of Array.isArray(pod.sysctls) ? (pod.sysctls as { name: string }[]) : []) {
    if (!SAFE_SYSCTLS.has(sysctl.name)) out.push(`sysctl ${sysctl.name} is not in the safe set`);
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.hostPath !== undefined) out.push(`volume ${volume.name} is a hostPath volume`);
  }
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    if (
      key.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      value !== 'runtime/default' &&
      !value.startsWith('localhost/')
    ) {
      out.push(`annotation ${key} sets AppArmor profile ${value}`);
    }
  }
  for (const c of containersOf(spec)) {
    const sc = securityContext(c);
    const where = `container ${c.name}`;
    if (sc.privileged === true) out.push(`${where} is privileged`);
    if (isJsonObject(sc.windowsOptions) && sc.windowsOptions.hostProcess === true)
      out.push(`${where} is a Windows host process`);
    const add =
      isJsonObject(sc.capabilities) && Array.isArray(sc.capabilities.add) ? (sc.capabilities.add as string[]) : [];
    const extra = add.filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (extra.length > 0) out.push(`${where} adds capabilities ${extra.join(', ')}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default')
      out.push(`${where} sets procMount ${String(sc.procMount)}`);
    checkSeccomp(sc, where, out);
    checkSeLinux(sc, where, out);
    checkAppArmor(sc, where, out);
    for (const port of c.ports ?? []) {
      if (port.hostPort) out.push(`${where} uses host port ${port.hostPort}`);
    }
  }
  return out;
}

function restrictedViolations(spec: PodSpec): string[] {
  const out: string[] = [];
  const pod = securityContext(spec);
  for (const volume of spec.volumes ?? []) {
    const sources = Object.keys(volume).filter((key) => key !== 'name');
    const bad = sources.filter((source) => !RESTRICTED_VOLUME_SOURCES.has(source));
    if (bad.length > 0) out.push(`volume ${volume.name} uses ${bad.join(', ')}`);
  }
  const podNonRoot = pod.runAsNonRoot === true;
  const podSeccomp = isJsonObject(pod.seccompProfile) ? pod.seccompProfile.type : undefined;
  if (pod.runAsUser === 0) out.push('pod runs as user 0');
  for (const c of containersOf(spec)) {
    const sc = securityContext(c);
    const where = `container ${c.name}`;
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where} does not set allowPrivilegeEscalation: false`);
    const nonRoot = sc.runAsNonRoot ?? (podNonRoot ? true : undefined);
    if (nonRoot !== true) out.push(`${where} does not run as non-root (runAsNonRoot: true on it or the pod)`);
    if (sc.runAsUser === 0) out.push(`${where} runs as user 0`);
    const seccomp = isJsonObject(sc.seccompProfile) ? sc.seccompProfile.type : podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      out.push(`${where} has no seccompProfile RuntimeDefault or Localhost (on it or the pod)`);
    }
    const caps = isJsonObject(sc.capabilities) ? sc.capabilities : {};
    const drop = Array.isArray(caps.drop) ? (caps.drop as string[]) : [];
    if (!drop.includes('ALL')) out.push(`${where} does not drop ALL capabilities`);
    const add = Array.isArray(caps.add) ? (caps.add as string[]) : [];
    const extra = add.filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length > 0) out.push(`${where} adds capabilities ${extra.join(', ')}`);
  }
  return out;
}

function checkSeccomp(sc: JsonObject, where: string, out: string[]): void {
  if (isJsonObject(sc.seccompProfile) && sc.seccompProfile.type === 'Unconfined')
    out.push(`${where} sets seccomp Unconfined`);
}

function checkSeLinux(sc: JsonObject, where: string, out: string[]): void {
  const options = isJsonObject(sc.seLinuxOptions) ? sc.seLinuxOptions : undefined;
  if (!options) return;
  if (!SELINUX_TYPES.has(String(options.type ?? ''))) out.push(`${where} sets SELinux type ${String(options.type)}`);
  if (options.user || options.role) out.push(`${where} sets a custom SELinux user or role`);
}

function checkAppArmor(sc: JsonObject, where: string, out: string[]): void {
  if (isJsonObject(sc.appArmorProfile) && sc.appArmorProfile.type === 'Unconfined') {
    out.push(`${where} sets AppArmor Unconfined`);
  }
}
