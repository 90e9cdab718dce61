import {
  podSecurityLevel,
  podSecurityViolations,
  type ContainerLike,
  type PodTemplateLike,
} from '../../../pod-security/pod-security-standards';

/** A pod that meets `restricted`; each case below breaks one control. */
const hardenedContainer = (name: string): ContainerLike => ({
  name,
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
});
const restrictedPod = (): PodTemplateLike => ({
  metadata: { annotations: {} },
  spec: { containers: [hardenedContainer('app')], volumes: [{ name: 'tmp', emptyDir: {} }] },
});

/** A deep copy of the restricted pod, changed. */
function podWith(change: (pod: any) => void): PodTemplateLike {
  const pod = structuredClone(restrictedPod()) as any;
  change(pod);
  return pod;
}

test('a hardened pod meets restricted, and so every level', () => {
  for (const level of ['privileged', 'baseline', 'restricted'] as const) {
    expect(podSecurityViolations(restrictedPod(), level)).toEqual([]);
  }
  expect(podSecurityLevel([restrictedPod()])).toBe('restricted');
});

test('pod-level runAsNonRoot and seccomp cover containers that leave them unset', () => {
  const pod = podWith((p) => {
    p.spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } };
    delete p.spec.containers[0].securityContext.runAsNonRoot;
    delete p.spec.containers[0].securityContext.seccompProfile;
  });
  expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
});

describe('each baseline control', () => {
  test.each<[string, string, (pod: any) => void]>([
    [
      'HostProcess',
      'spec.securityContext.windowsOptions.hostProcess',
      (p) => (p.spec.securityContext = { windowsOptions: { hostProcess: true } }),
    ],
    ['Host Namespaces', 'spec.hostNetwork', (p) => (p.spec.hostNetwork = true)],
    ['Host Namespaces', 'spec.hostPID', (p) => (p.spec.hostPID = true)],
    ['Host Namespaces', 'spec.hostIPC', (p) => (p.spec.hostIPC = true)],
    [
      'Privileged Containers',
      'spec.containers[app].securityContext.privileged',
      (p) => (p.spec.containers[0].securityContext.privileged = true),
    ],
    [
      'Capabilities',
      'spec.containers[app].securityContext.capabilities.add',
      (p) => (p.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN']),
    ],
    [
      'HostPath Volumes',
      'spec.volumes[host].hostPath',
      (p) => p.spec.volumes.push({ name: 'host', hostPath: { path: '/' } }),
    ],
    [
      'Host Ports',
      'spec.containers[app].ports[hostPort=8080]',
      (p) => (p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }]),
    ],
    [
      'AppArmor',
      'spec.containers[app].securityContext.appArmorProfile.type',
      (p) => (p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }),
    ],
    [
      'AppArmor',
      'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
      (p) => (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'),
    ],
    [
      'SELinux',
      'spec.securityContext.seLinuxOptions.type',
      (p) => (p.spec.securityContext = { seLinuxOptions: { type: 'spc_t' } }),
    ],
    [
      'SELinux',
      'spec.containers[app].securityContext.seLinuxOptions.user',
      (p) => (p.spec.containers[0].securityContext.seLinuxOptions = { user: 'root' }),
    ],
    [
      '/proc Mount Type',
      'spec.containers[app].securityContext.procMount',
      (p) => (p.spec.containers[0].securityContext.procMount = 'Unmasked'),
    ],
    [
      'Seccomp',
      'spec.containers[app].securityContext.seccompProfile.type',
      (p) => (p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }),
    ],
    [
      'Sysctls',
      'spec.securityContext.sysctls[kernel.msgmax]',
      (p) => (p.spec.securityContext = { sysctls: [{ name: 'kernel.msgmax' }] }),
    ],
  ])('%s (%s)', (control, field, change) => {
    const pod = podWith(change);
    expect(podSecurityViolations(pod, 'baseline')).toContainEqual(
      expect.objectContaining({ level: 'baseline', control, field }),
    );
    expect(podSecurityViolations(pod, 'privileged')).toEqual([]);
    expect(podSecurityLevel([pod])).toBe('privileged');
  });

  test('allowed values pass: default capabilities, safe sysctls, confined profiles, container SELinux types', () => {
    const pod = podWith((p) => {
      p.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE'];
      p.spec.securityContext = {
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start' }],
        seLinuxOptions: { type: 'container_t' },
        appArmorProfile: { type: 'RuntimeDefault' },
      };
      p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'localhost/my-profile';
      p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 0 }];
    });
    expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
  });
});

describe('each restricted control', () => {
  test.each<[string, string, (pod: any) => void]>([
    ['Volume Types', 'spec.volumes[nfs]', (p) => p.spec.volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } })],
    [
      'Privilege Escalation',
      'spec.containers[app].securityContext.allowPrivilegeEscalation',
      (p) => delete p.spec.containers[0].securityContext.allowPrivilegeEscalation,
    ],
    [
      'Running as Non-root',
      'spec.containers[app].securityContext.runAsNonRoot',
      (p) => delete p.spec.containers[0].securityContext.runAsNonRoot,
    ],
    [
      'Running as Non-root user',
      'spec.containers[app].securityContext.runAsUser',
      (p) => (p.spec.containers[0].securityContext.runAsUser = 0),
    ],
    [
      'Seccomp',
      'spec.containers[app].securityContext.seccompProfile.type',
      (p) => delete p.spec.containers[0].securityContext.seccompProfile,
    ],
    [
      'Capabilities',
      'spec.containers[app].securityContext.capabilities.drop',
      (p) => (p.spec.containers[0].securityContext.capabilities.drop = ['NET_RAW']),
    ],
    [
      'Capabilities',
      'spec.containers[app].securityContext.capabilities.add',
      (p) => (p.spec.containers[0].securityContext.capabilities.add = ['CHOWN']),
    ],
  ])('%s (%s)', (control, field, change) => {
    const pod = podWith(change);
    expect(podSecurityViolations(pod, 'restricted')).toContainEqual(
      expect.objectContaining({ level: 'restricted', control, field }),
    );
    expect(podSecurityViolations(pod, 'baseline')).toEqual([]);
    expect(podSecurityLevel([pod])).toBe('baseline');
  });

  test('"all" in lower case does not count as dropping ALL (Pod Security Admission compares exactly)', () => {
    const pod = podWith((p) => (p.spec.containers[0].securityContext.capabilities.drop = ['all']));
    expect(podSecurityViolations(pod, 'restricted')).toContainEqual(
      expect.objectContaining({ control: 'Capabilities' }),
    );
  });

  test('a container that sets runAsNonRoot false overrides the pod', () => {
    const pod = podWith((p) => {
      p.spec.securityContext = { runAsNonRoot: true };
      p.spec.containers[0].securityContext.runAsNonRoot = false;
    });
    expect(podSecurityViolations(pod, 'restricted')).toContainEqual(
      expect.objectContaining({ control: 'Running as Non-root' }),
    );
  });

  test('Windows pods are exempt from the Linux-only controls', () => {
    const pod = podWith((p) => {
      p.spec.os = { name: 'windows' };
      p.spec.containers[0].securityContext = { runAsNonRoot: true };
    });
    expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
  });
});

test('a volume with no source counts as the emptyDir the API server defaults it to (Istio writes its sockets so)', () => {
  const pod = podWith((p) => p.spec.volumes.push({ name: 'workload-socket' }));
  expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
});

test('init and ephemeral containers are checked too, by name', () => {
  const pod = podWith((p) => {
    p.spec.initContainers = [
      {
        name: 'istio-init',
        securityContext: {
          ...hardenedContainer('x').securityContext,
          runAsUser: 0,
          runAsNonRoot: false,
          capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
        },
      },
    ];
    p.spec.ephemeralContainers = [{ name: 'debugger' }];
  });
  const fields = podSecurityViolations(pod, 'restricted').map((v) => v.field);
  expect(fields).toEqual(
    expect.arrayContaining([
      'spec.initContainers[istio-init].securityContext.capabilities.add',
      'spec.initContainers[istio-init].securityContext.runAsUser',
      'spec.ephemeralContainers[debugger].securityContext.allowPrivilegeEscalation',
    ]),
  );
  // NET_ADMIN and NET_RAW are outside baseline's list: such a pod (istio-init without CNI) is only `privileged`.
  expect(podSecurityLevel([pod])).toBe('privileged');
});

test('the level of several pods is the lowest any of them meets', () => {
  const baselineOnly = podWith((p) => delete p.spec.containers[0].securityContext.allowPrivilegeEscalation);
  expect(podSecurityLevel([restrictedPod(), baselineOnly])).toBe('baseline');
  expect(podSecurityLevel([])).toBe('restricted');
});
