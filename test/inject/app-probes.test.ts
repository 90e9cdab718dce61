import type { Container } from '../../kube/object';
import { containerNamed, deployment, envOf, inject, podOf, proxyOf } from './helpers';

function injectContainer(container: Container, initContainers?: Container[]) {
  const pod = podOf(inject(deployment('web', { spec: { containers: [container], initContainers } })));
  const probers = envOf(proxyOf(pod.spec), 'ISTIO_KUBE_APP_PROBERS')?.value;
  return { pod, app: containerNamed(pod.spec.containers, container.name), probers: probers && JSON.parse(probers) };
}

test('HTTP probes go through the agent; their original target is handed over in ISTIO_KUBE_APP_PROBERS', () => {
  const { app, probers } = injectContainer({
    name: 'web',
    image: 'x/web:1',
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, timeoutSeconds: 2, periodSeconds: 5 },
    livenessProbe: {
      httpGet: { path: '/live', port: 8081, scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'a&b' }] },
    },
    startupProbe: { httpGet: { path: '/started', port: 8080, host: '127.0.0.1' } },
  });
  expect(app.readinessProbe).toEqual({
    httpGet: { path: '/app-health/web/readyz', port: 15020 },
    timeoutSeconds: 2,
    periodSeconds: 5,
  });
  // the kubelet speaks HTTP to the agent, which makes the HTTPS call; host and headers stay
  expect(app.livenessProbe).toEqual({
    httpGet: {
      path: '/app-health/web/livez',
      port: 15020,
      scheme: 'HTTP',
      httpHeaders: [{ name: 'X-Probe', value: 'a&b' }],
    },
  });
  expect(app.startupProbe).toEqual({ httpGet: { path: '/app-health/web/startupz', port: 15020, host: '127.0.0.1' } });
  expect(probers).toEqual({
    '/app-health/web/readyz': { httpGet: { path: '/ready', port: 8080 }, timeoutSeconds: 2 }, // named port resolved
    '/app-health/web/livez': {
      httpGet: { path: '/live', port: 8081, scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'a&b' }] },
    },
    '/app-health/web/startupz': { httpGet: { path: '/started', port: 8080, host: '127.0.0.1' } },
  });
});

test('the probers JSON is written as Go writes it: keys sorted, & escaped', () => {
  const { pod } = injectContainer({
    name: 'web',
    image: 'x/web:1',
    readinessProbe: { httpGet: { path: '/ready?a=1&b=2', port: 8080 } },
    livenessProbe: { tcpSocket: { port: 8080 } },
  });
  expect(envOf(proxyOf(pod.spec), 'ISTIO_KUBE_APP_PROBERS')?.value).toBe(
    '{"/app-health/web/livez":{"tcpSocket":{"port":8080}},"/app-health/web/readyz":{"httpGet":{"path":"/ready?a=1\\u0026b=2","port":8080}}}',
  );
});

test('TCP and gRPC probes become HTTP probes of the agent, which checks TCP or gRPC itself', () => {
  const { app, probers } = injectContainer({
    name: 'grpc',
    image: 'x/grpc:1',
    readinessProbe: { tcpSocket: { port: 7070 }, initialDelaySeconds: 3 },
    livenessProbe: { grpc: { port: 7070 } },
    startupProbe: { grpc: { port: 7070, service: 'health' } },
  });
  expect(app.readinessProbe).toEqual({
    httpGet: { path: '/app-health/grpc/readyz', port: 15020 },
    initialDelaySeconds: 3,
  });
  expect(app.livenessProbe).toEqual({ httpGet: { path: '/app-health/grpc/livez', port: 15020 } });
  expect(probers).toEqual({
    '/app-health/grpc/readyz': { tcpSocket: { port: 7070 } },
    '/app-health/grpc/livez': { grpc: { port: 7070, service: null } },
    '/app-health/grpc/startupz': { grpc: { port: 7070, service: 'health' } },
  });
});

test('HTTP and TCP lifecycle hooks are taken over too; exec probes and hooks are left alone', () => {
  const { app, probers } = injectContainer({
    name: 'web',
    image: 'x/web:1',
    readinessProbe: { exec: { command: ['cat', '/tmp/ready'] } },
    lifecycle: { preStop: { httpGet: { path: '/shutdown', port: 8080 } }, postStart: { exec: { command: ['true'] } } },
  });
  expect(app.readinessProbe).toEqual({ exec: { command: ['cat', '/tmp/ready'] } });
  expect(app.lifecycle).toEqual({
    preStop: { httpGet: { path: '/app-lifecycle/web/prestopz', port: 15020 } },
    postStart: { exec: { command: ['true'] } },
  });
  expect(probers).toEqual({ '/app-lifecycle/web/prestopz': { httpGet: { path: '/shutdown', port: 8080 } } });
});

test('native sidecars of the app (init containers that keep running) have their probes rewritten too', () => {
  const { pod, probers } = injectContainer({ name: 'web', image: 'x/web:1' }, [
    { name: 'helper', image: 'x/helper:1', restartPolicy: 'Always', readinessProbe: { httpGet: { port: 3333 } } },
  ]);
  expect(containerNamed(pod.spec.initContainers, 'helper').readinessProbe).toEqual({
    httpGet: { path: '/app-health/helper/readyz', port: 15020 },
  });
  expect(probers).toEqual({ '/app-health/helper/readyz': { httpGet: { port: 3333 } } });
});

test('a named port that does not exist is not handed over, but the probe is still pointed at the agent', () => {
  const { app, probers } = injectContainer({
    name: 'web',
    image: 'x/web:1',
    readinessProbe: { httpGet: { path: '/ready', port: 'missing' } },
  });
  expect(app.readinessProbe).toEqual({ httpGet: { path: '/app-health/web/readyz', port: 15020 } });
  expect(probers).toBeUndefined();
});

test('with no probes there is no ISTIO_KUBE_APP_PROBERS', () => {
  expect(injectContainer({ name: 'web', image: 'x/web:1' }).probers).toBeUndefined();
});
