import type { Container, PodSpec } from '../../cdk8s/inject/kube-types';
import { podSecurityViolations } from '../../cdk8s/inject/pod-security';

const hardened: Container = {
  name: 'app',
  image: 'x/app:1',
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
};
const pod = (spec: Partial<PodSpec>, containers: Container[] = [hardened]): PodSpec => ({ containers, ...spec });
const check = (spec: PodSpec, level: 'baseline' | 'restricted', annotations?: Record<string, string>) =>
  podSecurityViolations({ annotations }, spec, level);

test('a hardened pod meets restricted', () => {
  expect(check(pod({}), 'restricted')).toEqual([]);
});

test('pod-level settings count for every container', () => {
  const plain: Container = {
    name: 'app',
    image: 'x',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
  const spec = pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }, [plain]);
  expect(check(spec, 'restricted')).toEqual([]);
});

test.each([
  ['host network', pod({ hostNetwork: true }), 'hostNetwork is true'],
  ['a hostPath volume', pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }), 'volume h is a hostPath volume'],
  [
    'a privileged container',
    pod({}, [{ ...hardened, securityContext: { privileged: true } }]),
    'container app is privileged',
  ],
  [
    'NET_ADMIN',
    pod({}, [{ ...hardened, securityContext: { capabilities: { add: ['NET_ADMIN'] } } }]),
    'container app adds capabilities NET_ADMIN',
  ],
  [
    'a host port',
    pod({}, [{ ...hardened, ports: [{ containerPort: 80, hostPort: 80 }] }]),
    'container app uses host port 80',
  ],
  [
    'seccomp Unconfined',
    pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } }),
    'pod sets seccomp Unconfined',
  ],
  [
    'an unsafe sysctl',
    pod({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }),
    'sysctl kernel.msgmax is not in the safe set',
  ],
])('baseline forbids %s', (_name, spec, violation) => {
  expect(check(spec, 'baseline')).toContain(violation);
});

test('baseline allows what restricted does not: root, no seccomp, NET_BIND_SERVICE and CHOWN', () => {
  const root: Container = {
    name: 'app',
    image: 'x',
    securityContext: { runAsUser: 0, capabilities: { add: ['CHOWN'] } },
  };
  expect(check(pod({}, [root]), 'baseline')).toEqual([]);
  expect(check(pod({}, [root]), 'restricted')).toEqual([
    'container app does not set allowPrivilegeEscalation: false',
    'container app does not run as non-root (runAsNonRoot: true on it or the pod)',
    'container app runs as user 0',
    'container app has no seccompProfile RuntimeDefault or Localhost (on it or the pod)',
    'container app does not drop ALL capabilities',
    'container app adds capabilities CHOWN',
  ]);
});

test('restricted allows only some volume types; a volume with no source is defaulted to emptyDir', () => {
  const spec = pod({ volumes: [{ name: 'socket' }, { name: 'nfs', nfs: { server: 'x', path: '/' } }] });
  expect(check(spec, 'restricted')).toEqual(['volume nfs uses nfs']);
});

test('AppArmor annotations other than runtime/default or localhost/* break baseline', () => {
  const annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
  expect(check(pod({}), 'baseline', annotations)).toEqual([
    'annotation container.apparmor.security.beta.kubernetes.io/app sets AppArmor profile unconfined',
  ]);
});
