import { parseGoBool } from './annotation-validation';
import { goJson } from './go-json';
import type { Container, HttpGetAction, PodSpec, ProbeHandler } from '../kube/object';
import { ANNOTATION, PROXY_CONTAINER } from './pod-annotations';

/**
 * Probe rewriting: with mutual TLS the kubelet cannot reach the app's HTTP, TCP or gRPC health checks through the
 * sidecar, so each probe (and HTTP/TCP lifecycle hook) is pointed at the agent's status port on
 * `/app-health/<container>/readyz|livez|startupz` (`/app-lifecycle/<container>/prestopz|poststartz` for hooks), and
 * the original checks are handed to the agent in `ISTIO_KUBE_APP_PROBERS`. Istio's app_probe.go, in TypeScript.
 */

export const KUBE_APP_PROBERS_ENV = 'ISTIO_KUBE_APP_PROBERS';

/** Whether probes are rewritten: the pod's `rewriteAppHTTPProbers` annotation, else the default (yes). */
export function shouldRewriteProbes(annotations: Readonly<Record<string, string>>, byDefault = true): boolean {
  const value = annotations[ANNOTATION.rewriteAppHTTPProbers];
  return (value === undefined ? undefined : parseGoBool(value)) ?? byDefault;
}

/**
 * The `ISTIO_KUBE_APP_PROBERS` value for a pod (keys sorted, as Go prints a map), or undefined when no probe
 * needs the agent. Probes already pointing at the status port are skipped; named ports are resolved to numbers.
 */
export function appProbersJson(spec: PodSpec, statusPort: number): string | undefined {
  const probers: Record<string, string> = {};
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    if (c.name === PROXY_CONTAINER) continue;
    const ports = new Map((c.ports ?? []).filter((p) => p.name).map((p) => [p.name as string, p.containerPort]));
    const urls = proberUrls(c.name);
    const entries: [string, ProbeHandler | undefined, boolean][] = [
      [urls.readyz, c.readinessProbe, true],
      [urls.livez, c.livenessProbe, true],
      [urls.startupz, c.startupProbe, true],
      [urls.prestopz, c.lifecycle?.preStop, false],
      [urls.poststartz, c.lifecycle?.postStart, false],
    ];
    for (const [url, handler, isProbe] of entries) {
      const json = proberJson(handler, isProbe, ports, statusPort);
      if (json !== undefined) probers[url] = json;
    }
  }
  const urls = Object.keys(probers).sort(compareGoStrings);
  if (urls.length === 0) return undefined;
  return `{${urls.map((url) => `${goJson(url)}:${probers[url]}`).join(',')}}`;
}

/** Points every app container's probes and HTTP/TCP lifecycle hooks at the agent on `statusPort`. */
export function rewriteProbes(spec: PodSpec, statusPort: number): PodSpec {
  const rewrite = (c: Container): Container => {
    if (c.name === PROXY_CONTAINER) return c;
    const urls = proberUrls(c.name);
    const out: Container = { ...c };
    for (const [field, url] of [
      ['readinessProbe', urls.readyz],
      ['livenessProbe', urls.livez],
      ['startupProbe', urls.startupz],
    ] as const) {
      const probe = rewriteHandler(c[field], url, statusPort, true);
      if (probe) out[field] = probe;
    }
    if (c.lifecycle) {
      const lifecycle = { ...c.lifecycle };
      const preStop = rewriteHandler(c.lifecycle.preStop, urls.prestopz, statusPort, false);
      const postStart = rewriteHandler(c.lifecycle.postStart, urls.poststartz, statusPort, false);
      if (preStop) lifecycle.preStop = preStop;
      if (postStart) lifecycle.postStart = postStart;
      out.lifecycle = lifecycle;
    }
    return out;
  };
  const out: PodSpec = { ...spec, containers: spec.containers.map(rewrite) };
  if (spec.initContainers) out.initContainers = spec.initContainers.map(rewrite);
  return out;
}

function proberUrls(container: string) {
  return {
    readyz: `/app-health/${container}/readyz`,
    livez: `/app-health/${container}/livez`,
    startupz: `/app-health/${container}/startupz`,
    prestopz: `/app-lifecycle/${container}/prestopz`,
    poststartz: `/app-lifecycle/${container}/poststartz`,
  };
}

/** An agent prober as Go marshals istio's Prober struct: httpGet | tcpSocket | grpc, then timeoutSeconds. */
function proberJson(
  handler: ProbeHandler | undefined,
  isProbe: boolean,
  ports: Map<string, number>,
  statusPort: number,
): string | undefined {
  if (!handler) return undefined;
  const timeout = isProbe && handler.timeoutSeconds ? `,"timeoutSeconds":${handler.timeoutSeconds}` : '';
  if (isProbe && handler.grpc) {
    // gRPC ports are numbers only; service is a pointer Go prints as null when unset
    const service = handler.grpc.service ?? null;
    return `{"grpc":{"port":${handler.grpc.port},"service":${goJson(service)}}${timeout}}`;
  }
  const action = handler.httpGet ?? handler.tcpSocket;
  if (!action) return undefined;
  let port = action.port;
  if (typeof port === 'string') {
    const resolved = ports.get(port);
    if (resolved === undefined) return undefined;
    port = resolved;
  } else if (port === statusPort) {
    return undefined; // already rewritten
  }
  if (handler.httpGet) {
    const h: HttpGetAction = handler.httpGet;
    const fields = [
      h.path ? `"path":${goJson(h.path)}` : '',
      `"port":${port}`,
      h.host ? `"host":${goJson(h.host)}` : '',
      h.scheme ? `"scheme":${goJson(h.scheme)}` : '',
      h.httpHeaders?.length
        ? `"httpHeaders":[${h.httpHeaders
            .map((x) => `{"name":${goJson(x.name)},"value":${goJson(x.value)}}`)
            .join(',')}]`
        : '',
    ].filter((f) => f !== '');
    return `{"httpGet":{${fields.join(',')}}${timeout}}`;
  }
  const host = handler.tcpSocket?.host ? `,"host":${goJson(handler.tcpSocket.host)}` : '';
  return `{"tcpSocket":{"port":${port}${host}}${timeout}}`;
}

/**
 * A probe or hook pointed at the agent: HTTP keeps its host and headers, HTTPS becomes HTTP (the agent makes the
 * HTTPS call), TCP and gRPC become an HTTP GET. Other handlers (exec, sleep) are left alone.
 */
function rewriteHandler(
  handler: ProbeHandler | undefined,
  path: string,
  statusPort: number,
  isProbe: boolean,
): ProbeHandler | undefined {
  if (!handler) return undefined;
  if (handler.httpGet) {
    const httpGet: HttpGetAction = { ...handler.httpGet, path, port: statusPort };
    if (httpGet.scheme === 'HTTPS') httpGet.scheme = 'HTTP';
    return { ...handler, httpGet };
  }
  if (handler.tcpSocket || (isProbe && handler.grpc)) {
    const { tcpSocket: _tcp, grpc: _grpc, ...rest } = handler;
    return { ...rest, httpGet: { path, port: statusPort } };
  }
  return undefined;
}

function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
