import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType,
  type HttpRouteSpecRules,
  type HttpRouteSpecRulesFilters,
} from '../../imports/gateway.networking.k8s.io';
import { Problems, wholeNumberProblem } from './value-checks';

/**
 * What a route attaches to: a Gateway (ingress; optionally one of its listeners), or a Service (mesh routing, as
 * Gateway API's GAMMA does it: the route applies to requests for that Service).
 */
export type HttpRouteParent =
  | { readonly kind: 'Gateway'; readonly name: string; readonly sectionName?: string }
  | { readonly kind: 'Service'; readonly name: string; readonly port: number };

/** A Service a rule sends requests to, with its share when a rule splits across several. */
export interface HttpRouteBackend {
  readonly service: string;
  readonly port: number;
  /** Relative share of requests. @default - 1 (equal shares) */
  readonly weight?: number;
}

/** One condition on a request: a path, and headers, that must all match. */
export interface HttpRouteMatch {
  /** @default - any path */
  readonly path?: { readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression'; readonly value: string };
  /** @default - any headers */
  readonly headers?: readonly {
    readonly name: string;
    readonly type: 'Exact' | 'RegularExpression';
    readonly value: string;
  }[];
}

/** One rule: requests that match any of `matches` go to the backends (or are redirected). */
export interface HttpRouteRule {
  /** @default - no name */
  readonly name?: string;
  /** @default - every request */
  readonly matches?: readonly HttpRouteMatch[];
  /** Where matched requests go; leave it out only with `redirect`. @default [] */
  readonly backends?: readonly HttpRouteBackend[];
  /** Time the whole request may take, such as `10s` (Gateway API durations: h, m, s, ms). @default - no timeout */
  readonly timeout?: string;
  /** Copy requests to this Service (fire and forget), optionally only a share of them. @default - no mirroring */
  readonly mirror?: { readonly service: string; readonly port: number; readonly percent?: number };
  /** Redirect instead of routing. @default - no redirect */
  readonly redirect?: { readonly scheme: 'http' | 'https'; readonly statusCode?: 301 | 302 };
}

export interface KubernetesHttpRouteProps {
  readonly name: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** What the route attaches to; at least one. */
  readonly parents: readonly HttpRouteParent[];
  /** Hosts the route answers for (`*.example.com` allowed). @default - every host its parents serve */
  readonly hostnames?: readonly string[];
  /** Rules in order of precedence as Gateway API orders them (most specific match first); at least one. */
  readonly rules: readonly HttpRouteRule[];
}

/** A Gateway API duration (GEP-2257). */
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Kubernetes Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1): requests for a Gateway's listener or for a
 * Service, matched by path and headers, sent to weighted Services, mirrored, timed out or redirected.
 *
 * Every value is checked first; a bad one stops the synth with an error naming the route, the rule and the value.
 */
export class KubernetesHttpRoute extends Construct {
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: KubernetesHttpRouteProps) {
    super(scope, id);
    checkRoute(props);
    this.route = new HttpRoute(this, 'HTTPRoute', {
      metadata: { name: props.name, namespace: props.namespace ?? Chart.of(this).namespace },
      spec: {
        parentRefs: props.parents.map((parent) =>
          parent.kind === 'Gateway'
            ? { name: parent.name, sectionName: parent.sectionName }
            : { group: '', kind: 'Service', name: parent.name, port: parent.port },
        ),
        hostnames: props.hostnames && [...props.hostnames],
        rules: props.rules.map(toRule),
      },
    });
  }
}

function toRule(rule: HttpRouteRule): HttpRouteSpecRules {
  const filters: HttpRouteSpecRulesFilters[] = [];
  if (rule.mirror) {
    filters.push({
      type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR,
      requestMirror: {
        backendRef: { name: rule.mirror.service, port: rule.mirror.port },
        percent: rule.mirror.percent,
      },
    });
  }
  if (rule.redirect) {
    filters.push({
      type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
      requestRedirect: {
        scheme:
          rule.redirect.scheme === 'https'
            ? HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS
            : HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTP,
        statusCode: rule.redirect.statusCode ?? 301,
      },
    });
  }
  return {
    name: rule.name,
    matches: rule.matches?.map((match) => ({
      path: match.path && { type: match.path.type as HttpRouteSpecRulesMatchesPathType, value: match.path.value },
      headers: match.headers?.map((h) => ({
        name: h.name,
        type: h.type as HttpRouteSpecRulesMatchesHeadersType,
        value: h.value,
      })),
    })),
    filters: filters.length > 0 ? filters : undefined,
    backendRefs: rule.backends?.map((b) => ({ name: b.service, port: b.port, weight: b.weight })),
    timeouts: rule.timeout === undefined ? undefined : { request: rule.timeout },
  };
}

function checkRoute(props: KubernetesHttpRouteProps): void {
  const problems = new Problems(`Invalid HTTPRoute "${props.name}"`);
  const at = `HTTPRoute "${props.name}"`;
  if (props.parents.length === 0) problems.add(`${at}: has no parents; attach it to a Gateway or a Service`);
  for (const parent of props.parents) {
    if (parent.kind === 'Service')
      problems.check(`${at} parent ${parent.name} port`, parent.port, portProblem(parent.port));
  }
  for (const host of props.hostnames ?? [])
    problems.check(`${at} hostname`, host, HOSTNAME.test(host) ? undefined : 'must be a DNS name, or one after "*."');
  if (props.rules.length === 0) problems.add(`${at}: has no rules; give at least one`);
  if (props.rules.length > 16) problems.add(`${at}: has ${props.rules.length} rules; Gateway API allows 16`);
  props.rules.forEach((rule, index) => {
    const where = `${at} rule #${index + 1}${rule.name ? ` (${rule.name})` : ''}`;
    const backends = rule.backends ?? [];
    if (rule.redirect && backends.length > 0) problems.add(`${where}: redirects and routes; give one or the other`);
    if (!rule.redirect && backends.length === 0) problems.add(`${where}: routes nowhere; give at least one backend`);
    for (const backend of backends) {
      problems.check(`${where} backend ${backend.service} port`, backend.port, portProblem(backend.port));
      if (backend.weight !== undefined)
        problems.check(
          `${where} weight of ${backend.service}`,
          backend.weight,
          wholeNumberProblem(backend.weight, 0, 1_000_000),
        );
    }
    for (const match of rule.matches ?? []) {
      if (match.path && !match.path.value.startsWith('/'))
        problems.check(`${where} path`, match.path.value, 'must start with "/"');
      for (const header of match.headers ?? [])
        problems.check(
          `${where} header name`,
          header.name,
          HEADER_NAME.test(header.name) ? undefined : 'must be an HTTP header name',
        );
    }
    if (rule.timeout !== undefined)
      problems.check(
        `${where} timeout`,
        rule.timeout,
        DURATION.test(rule.timeout) ? undefined : 'must be a Gateway API duration such as 10s, 500ms or 1m30s',
      );
    if (rule.mirror?.percent !== undefined)
      problems.check(`${where} mirror percent`, rule.mirror.percent, wholeNumberProblem(rule.mirror.percent, 0, 100));
  });
  problems.throwIfAny();
}

function portProblem(port: number): string | undefined {
  return wholeNumberProblem(port, 1, 65535);
}
