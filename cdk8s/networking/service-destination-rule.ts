import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { TrafficPolicy } from '../../config';
import type { IMeshService } from '../mesh/mesh-service';
import {
  DestinationRule,
  DestinationRuleSpecTrafficPolicyLoadBalancerSimple,
  DestinationRuleSpecTrafficPolicyTlsMode,
  type DestinationRuleSpecTrafficPolicy,
} from '../../imports/networking.istio.io';
import { durationProblem, percentProblem, Problems, wholeNumberProblem } from './value-checks';

export interface ServiceDestinationRuleProps {
  /**
   * The service (a MeshService, or its name and versions): its name is the DestinationRule's name and host; each of
   * its versions is a subset, named after the version and selecting pods labelled `version: <v>` (none: no subsets).
   */
  readonly service: Pick<IMeshService, 'name' | 'versions'>;
  /**
   * Namespace of the service and of the DestinationRule.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Load balancing, connection pool and outlier detection for calls to the service.
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Write `tls.mode: ISTIO_MUTUAL` (mutual TLS with mesh certificates) instead of leaving it to istiod's auto mTLS.
   * @default false
   */
  readonly istioMutualTls?: boolean;
}

/** What callers of one service see of it: its versions as subsets, and the traffic policy of calls to it. */
export class ServiceDestinationRule extends Construct {
  public readonly destinationRule: DestinationRule;

  constructor(scope: Construct, id: string, props: ServiceDestinationRuleProps) {
    super(scope, id);
    const policy = props.trafficPolicy ?? {};
    checkPolicy(props.service.name, policy);
    const trafficPolicy: DestinationRuleSpecTrafficPolicy = {
      // LOAD_BALANCERS are values of this enum (config/traffic.ts checks that at compile time).
      loadBalancer: policy.loadBalancer && {
        simple: policy.loadBalancer as DestinationRuleSpecTrafficPolicyLoadBalancerSimple,
      },
      connectionPool: policy.connectionPool,
      outlierDetection: policy.outlierDetection && {
        consecutive5XxErrors: policy.outlierDetection.consecutive5xxErrors,
        interval: policy.outlierDetection.interval,
        baseEjectionTime: policy.outlierDetection.baseEjectionTime,
        maxEjectionPercent: policy.outlierDetection.maxEjectionPercent,
      },
      tls: props.istioMutualTls ? { mode: DestinationRuleSpecTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL } : undefined,
    };
    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      metadata: { name: props.service.name, namespace: props.namespace ?? Chart.of(this).namespace },
      spec: {
        host: props.service.name,
        trafficPolicy: Object.values(trafficPolicy).some((v) => v !== undefined) ? trafficPolicy : undefined,
        subsets:
          props.service.versions.length > 0
            ? props.service.versions.map((version) => ({ name: version, labels: { version } }))
            : undefined,
      },
    });
  }
}

function checkPolicy(service: string, { connectionPool, outlierDetection }: TrafficPolicy): void {
  const problems = new Problems(`Invalid traffic policy of DestinationRule "${service}"`);
  const at = `DestinationRule "${service}" trafficPolicy`;
  const counts: [string, number | undefined][] = [
    ['connectionPool.tcp.maxConnections', connectionPool?.tcp?.maxConnections],
    ['connectionPool.http.http1MaxPendingRequests', connectionPool?.http?.http1MaxPendingRequests],
    ['connectionPool.http.http2MaxRequests', connectionPool?.http?.http2MaxRequests],
    ['connectionPool.http.maxRequestsPerConnection', connectionPool?.http?.maxRequestsPerConnection],
    ['connectionPool.http.maxRetries', connectionPool?.http?.maxRetries],
    ['outlierDetection.consecutive5xxErrors', outlierDetection?.consecutive5xxErrors],
  ];
  for (const [field, value] of counts) {
    if (value !== undefined) problems.check(`${at}.${field}`, value, wholeNumberProblem(value, 0));
  }
  const durations: [string, string | undefined][] = [
    ['connectionPool.tcp.connectTimeout', connectionPool?.tcp?.connectTimeout],
    ['outlierDetection.interval', outlierDetection?.interval],
    ['outlierDetection.baseEjectionTime', outlierDetection?.baseEjectionTime],
  ];
  for (const [field, value] of durations) {
    if (value !== undefined) problems.check(`${at}.${field}`, value, durationProblem(value));
  }
  const ejection = outlierDetection?.maxEjectionPercent;
  if (ejection !== undefined)
    problems.check(`${at}.outlierDetection.maxEjectionPercent`, ejection, percentProblem(ejection));
  problems.throwIfAny();
}
