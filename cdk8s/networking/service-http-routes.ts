import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError, type HttpRoute, type RouteMatch, type StringMatch } from '../../config';
import type { IMeshService } from '../mesh/mesh-service';
import { KubernetesHttpRoute, type HttpRouteMatch, type HttpRouteRule } from './kubernetes-http-route';
import { checkRoutes } from './service-routes';
import { versionServiceName } from './version-services';

export interface ServiceHttpRoutesProps {
  /**
   * The routed service: its name is the HTTPRoute's name and its parent Service; its versions are those routes may
   * send to, each through its own Service `<service>-<version>` (VersionServices).
   */
  readonly service: Pick<IMeshService, 'name' | 'versions'>;
  /** The service's port that the route applies to and its backends are called on. */
  readonly port: number;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** HTTP routes in order (the traffic config's shape); the first whose match applies handles a request. */
  readonly routes: readonly HttpRoute[];
  /**
   * Where the routes come from, as errors name it: `preset "reviews-80-20"`, `traffic.routes.reviews`.
   * @default - the service's routes
   */
  readonly origin?: string;
}

/**
 * How requests to one service are routed inside the mesh, in the Kubernetes Gateway API: an HTTPRoute whose parent is
 * the Service (GAMMA), with weighted backends to per-version Services, header and path matches, timeouts and
 * mirroring, as upstream's samples/bookinfo/gateway-api/route-*.yaml.
 *
 * What the Gateway API cannot say is an error naming the route and what is missing: fault injection, retries (only
 * in its experimental channel), and rules whose order it would not keep (it ranks rules by how specific their matches
 * are, a VirtualService by position).
 */
export class ServiceHttpRoutes extends Construct {
  public readonly route: KubernetesHttpRoute;

  constructor(scope: Construct, id: string, props: ServiceHttpRoutesProps) {
    super(scope, id);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const service = props.service.name;
    checkRoutes(service, namespace ?? 'default', props.service.versions, props.routes, 'HTTPRoute');
    checkExpressible(service, props.origin ?? `the routes of ${service}`, props.routes);
    const backend = (version: string) => ({ service: versionServiceName(service, version), port: props.port });
    this.route = new KubernetesHttpRoute(this, 'Route', {
      name: service,
      namespace,
      parents: [{ kind: 'Service', name: service, port: props.port }],
      rules: props.routes.map((route): HttpRouteRule => ({
        name: route.name,
        matches: route.match?.map(toMatch),
        backends: route.to.map(({ subset, weight }) => ({ ...backend(subset), weight })),
        timeout: route.timeout,
        mirror: route.mirror && { ...backend(route.mirror.subset), percent: route.mirror.percent },
      })),
    });
  }
}

function toMatch(match: RouteMatch): HttpRouteMatch {
  const headers = Object.entries(match.headers ?? {});
  return {
    path: match.uri && toPath(match.uri),
    headers:
      headers.length === 0
        ? undefined
        : headers.map(([name, value]) =>
            value.exact !== undefined
              ? { name, type: 'Exact', value: value.exact }
              : // Istio matches a header's regular expression against the whole value, as RE2's full match.
                { name, type: 'RegularExpression', value: value.regex ?? `${escapeRegex(value.prefix ?? '')}.*` },
          ),
  };
}

function toPath(uri: StringMatch): HttpRouteMatch['path'] {
  if (uri.exact !== undefined) return { type: 'Exact', value: uri.exact };
  if (uri.prefix !== undefined) return { type: 'PathPrefix', value: uri.prefix };
  return { type: 'RegularExpression', value: uri.regex ?? '' };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A Gateway API duration (GEP-2257): up to four whole amounts of h, m, s or ms. */
const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

function checkExpressible(service: string, origin: string, routes: readonly HttpRoute[]): void {
  const problems: string[] = [];
  routes.forEach((route, index) => {
    const at = `route #${index + 1}${route.name ? ` (${route.name})` : ''} of ${service}`;
    if (route.fault) {
      const what = [route.fault.delay && 'a delay', route.fault.abort && 'an abort'].filter(Boolean).join(' and ');
      problems.push(`${at} injects a fault (${what}): the Gateway API's HTTPRoute has no fault injection`);
    }
    if (route.retries) {
      problems.push(
        `${at} sets retries: the Gateway API's standard channel (v1.5) has no retry policy (HTTPRoute retry is ` +
          'experimental)',
      );
    }
    if (route.timeout !== undefined && !GATEWAY_API_DURATION.test(route.timeout)) {
      problems.push(
        `${at} timeout = ${JSON.stringify(route.timeout)}: a Gateway API duration is whole hours, minutes, seconds ` +
          'or milliseconds, such as 10s, 1500ms or 1m30s',
      );
    }
    const percent = route.mirror?.percent;
    if (percent !== undefined && !Number.isInteger(percent)) {
      problems.push(`${at} mirror.percent = ${percent}: a Gateway API mirror percent is a whole number`);
    }
  });
  problems.push(...precedenceProblems(service, routes));
  if (problems.length > 0) {
    throw new ConfigError(
      `${origin} cannot be written as a Gateway API HTTPRoute (traffic.ingress gateway-api):\n` +
        `${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        "Route this service with traffic.ingress 'istio' (VirtualServices), or give it routes the Gateway API can say.",
    );
  }
}

/**
 * How specific a match is, as the Gateway API ranks rules (HTTPRoute's rule precedence): an exact path, then the
 * longest prefix, then regular expressions, then the number of header matches. A match without a path matches the
 * prefix `/`.
 */
function specificity(match: RouteMatch | undefined): number[] {
  const uri = match?.uri;
  const path =
    uri?.exact !== undefined
      ? [2, uri.exact.length]
      : uri?.prefix !== undefined
        ? [1, uri.prefix.length]
        : uri?.regex !== undefined
          ? [0, 0]
          : [1, 1];
  return [...path, Object.keys(match?.headers ?? {}).length];
}

/** Which of two specificities ranks higher: positive when `a` does. */
function compare(a: readonly number[], b: readonly number[]): number {
  const i = a.findIndex((x, n) => x !== b[n]);
  return i === -1 ? 0 : a[i] - b[i];
}

/**
 * Rules the Gateway API would try in another order than given: a later rule with a match more specific than one of
 * an earlier rule's would win where both apply, where the VirtualService order lets the earlier one win.
 */
function precedenceProblems(service: string, routes: readonly HttpRoute[]): string[] {
  const problems: string[] = [];
  const matchesOf = (route: HttpRoute) => (route.match && route.match.length > 0 ? route.match : [undefined]);
  routes.forEach((earlier, i) => {
    routes.slice(i + 1).forEach((later, k) => {
      const j = i + 1 + k;
      const outranks = matchesOf(later).some((m) =>
        matchesOf(earlier).some((e) => compare(specificity(m), specificity(e)) > 0),
      );
      if (outranks) {
        problems.push(
          `route #${j + 1} of ${service} has a more specific match than route #${i + 1}, so the Gateway API would ` +
            `try it first (it ranks rules by match, not by position); put route #${j + 1} first`,
        );
      }
    });
  });
  return problems;
}
