import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { HttpRoute, RouteMatch, StringMatch } from '../../config';
import type { IMeshService } from '../mesh/mesh-service';
import {
  VirtualService,
  type VirtualServiceSpecHttp,
  type VirtualServiceSpecHttpMatch,
} from '../../imports/networking.istio.io';
import { durationProblem, percentProblem, Problems, wholeNumberProblem } from './value-checks';

export interface ServiceRoutesProps {
  /**
   * The routed service (a MeshService, or its name and versions): its name is the VirtualService's name and host and
   * the host of every destination; its versions are the subsets (of its DestinationRule) that routes may name.
   */
  readonly service: Pick<IMeshService, 'name' | 'versions'>;
  /**
   * Namespace of the service and of the VirtualService.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** HTTP routes in order; the first whose match applies handles a request. */
  readonly routes: readonly HttpRoute[];
}

/**
 * How requests to one service are routed inside the mesh: a VirtualService for the service's host, with weighted
 * splits across subsets, header and URI matches, fault injection, timeouts, retries and mirroring.
 *
 * Every value is checked first; a bad one stops the synth with an error naming the VirtualService, the route and the
 * value.
 */
export class ServiceRoutes extends Construct {
  public readonly virtualService: VirtualService;

  constructor(scope: Construct, id: string, props: ServiceRoutesProps) {
    super(scope, id);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    checkRoutes(props.service.name, namespace ?? 'default', props.service.versions, props.routes);
    const host = props.service.name;
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: { name: host, namespace },
      spec: { hosts: [host], http: props.routes.map((route) => toIstioRoute(host, route)) },
    });
  }
}

function toIstioRoute(host: string, route: HttpRoute): VirtualServiceSpecHttp {
  const { delay, abort } = route.fault ?? {};
  return {
    name: route.name,
    match: route.match?.map(toIstioMatch),
    fault: route.fault && {
      delay: delay && { percentage: { value: delay.percent }, fixedDelay: delay.fixedDelay },
      abort: abort && { percentage: { value: abort.percent }, httpStatus: abort.httpStatus },
    },
    route: route.to.map(({ subset, weight }) => ({ destination: { host, subset }, weight })),
    timeout: route.timeout,
    retries: route.retries,
    mirror: route.mirror && { host, subset: route.mirror.subset },
    mirrorPercentage: route.mirror?.percent === undefined ? undefined : { value: route.mirror.percent },
  };
}

function toIstioMatch(match: RouteMatch): VirtualServiceSpecHttpMatch {
  return {
    headers:
      match.headers && Object.fromEntries(Object.entries(match.headers).map(([name, value]) => [name, { ...value }])),
    uri: match.uri && { ...match.uri },
  };
}

/** Header names as Istio wants them: lower case, no spaces or colons. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** Envoy retry conditions (`5xx,reset,connect-failure`) and status codes. */
const RETRY_ON = /^[a-z0-9-]+(,[a-z0-9-]+)*$/;

/**
 * Checks a service's routes: matches, subsets that are deployed versions, weights, faults, durations, retries and
 * mirroring; every problem is named, and all are thrown at once.
 * @param kind the kind of object the routes become, as errors name it
 */
export function checkRoutes(
  service: string,
  namespace: string,
  deployedVersions: readonly string[],
  routes: readonly HttpRoute[],
  kind = 'VirtualService',
): void {
  const problems = new Problems(`Invalid routes of ${kind} "${service}" in namespace "${namespace}"`);
  const subsetProblem = (subset: string) =>
    deployedVersions.includes(subset)
      ? undefined
      : `is not a deployed version of ${service}; deployed: ${deployedVersions.join(', ')}`;
  if (routes.length === 0) problems.add(`${kind} "${service}" has no routes; give it at least one`);
  routes.forEach((route, index) => {
    const at = `${kind} "${service}" route #${index + 1}${route.name ? ` (${route.name})` : ''}`;
    route.match?.forEach((match, m) => checkMatch(problems, `${at} match[${m}]`, match));

    if (route.to.length === 0) problems.add(`${at}: routes nowhere; give at least one destination subset`);
    route.to.forEach((d, i) => problems.check(`${at} to[${i}].subset`, d.subset, subsetProblem(d.subset)));
    const subsets = route.to.map((d) => d.subset);
    subsets
      .filter((s, i) => subsets.indexOf(s) !== i)
      .forEach((s) => problems.add(`${at}: names subset "${s}" twice; give each subset one weight`));
    checkWeights(problems, at, route.to);

    const { delay, abort } = route.fault ?? {};
    if (route.fault && !delay && !abort) problems.add(`${at}: fault has neither a delay nor an abort`);
    if (delay) {
      problems.check(`${at} fault.delay.fixedDelay`, delay.fixedDelay, durationProblem(delay.fixedDelay));
      problems.check(`${at} fault.delay.percent`, delay.percent, percentProblem(delay.percent));
    }
    if (abort) {
      problems.check(`${at} fault.abort.httpStatus`, abort.httpStatus, wholeNumberProblem(abort.httpStatus, 200, 599));
      problems.check(`${at} fault.abort.percent`, abort.percent, percentProblem(abort.percent));
    }
    if (route.timeout !== undefined) problems.check(`${at} timeout`, route.timeout, durationProblem(route.timeout));
    if (route.retries) {
      const { attempts, perTryTimeout, retryOn } = route.retries;
      problems.check(`${at} retries.attempts`, attempts, wholeNumberProblem(attempts, 0));
      if (perTryTimeout !== undefined)
        problems.check(`${at} retries.perTryTimeout`, perTryTimeout, durationProblem(perTryTimeout));
      if (retryOn !== undefined) {
        problems.check(
          `${at} retries.retryOn`,
          retryOn,
          RETRY_ON.test(retryOn)
            ? undefined
            : 'must be a comma-separated list of retry conditions, such as 5xx,reset,connect-failure',
        );
      }
    }
    if (route.mirror) {
      problems.check(`${at} mirror.subset`, route.mirror.subset, subsetProblem(route.mirror.subset));
      if (route.mirror.percent !== undefined)
        problems.check(`${at} mirror.percent`, route.mirror.percent, percentProblem(route.mirror.percent));
    }
  });
  problems.throwIfAny();
}

function checkMatch(problems: Problems, at: string, match: RouteMatch): void {
  const headers = Object.entries(match.headers ?? {});
  if (headers.length === 0 && !match.uri)
    problems.add(`${at}: matches nothing in particular; leave \`match\` out to match every request`);
  for (const [name, value] of headers) {
    problems.check(
      `${at} header name`,
      name,
      HEADER_NAME.test(name) ? undefined : 'must be a lower-case HTTP header name',
    );
    problems.check(`${at} headers.${name}`, value, stringMatchProblem(value));
  }
  if (match.uri) problems.check(`${at} uri`, match.uri, stringMatchProblem(match.uri));
}

function stringMatchProblem(match: StringMatch): string | undefined {
  const given = Object.entries(match).filter(([, v]) => v !== undefined);
  if (given.length === 0) return 'has no value; give one of exact, prefix or regex';
  if (given.length > 1) return 'must give only one of exact, prefix or regex';
  return given[0][1] === '' ? `has no value; give the ${given[0][0]} value to match` : undefined;
}

function checkWeights(problems: Problems, at: string, to: HttpRoute['to']): void {
  const weighted = to.filter((d) => d.weight !== undefined);
  weighted.forEach((d) =>
    problems.check(`${at} weight of ${d.subset}`, d.weight, wholeNumberProblem(d.weight!, 0, 100)),
  );
  if (to.length > 1 && weighted.length < to.length) {
    const missing = to.filter((d) => d.weight === undefined).map((d) => d.subset);
    problems.add(
      `${at}: splits across ${to.length} subsets but gives no weight to ${missing.join(', ')}; give every subset a weight`,
    );
    return;
  }
  const total = weighted.reduce((sum, d) => sum + d.weight!, 0);
  if (weighted.length > 0 && total !== 100) {
    const shares = weighted.map((d) => `${d.subset} ${d.weight}`).join(', ');
    problems.add(`${at}: weights add up to ${total} (${shares}); they must add up to 100`);
  }
}
