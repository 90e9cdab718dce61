import type { TrafficPolicy } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { byName, objectsOf } from '../helpers/manifests';

const policiesWith = (policy: unknown, preset: 'all-v1' | 'circuit-breaker' = 'all-v1') => {
  const env = defaultEnvironment((e) => ({ ...e, traffic: { preset, policy: policy as TrafficPolicy } }));
  const rules = byName(objectsOf(env), 'DestinationRule');
  return Object.fromEntries(
    [...rules].map(([name, rule]) => [name, (rule.spec as { trafficPolicy?: unknown }).trafficPolicy]),
  );
};

test('the configured traffic policy goes on every DestinationRule, in Istio field names', () => {
  const policies = policiesWith({
    loadBalancer: 'ROUND_ROBIN',
    connectionPool: {
      tcp: { maxConnections: 100, connectTimeout: '30ms' },
      http: { http2MaxRequests: 1000, maxRetries: 3 },
    },
    outlierDetection: { consecutive5xxErrors: 7, interval: '5m', baseEjectionTime: '15m', maxEjectionPercent: 50 },
  });
  const expected = {
    loadBalancer: { simple: 'ROUND_ROBIN' },
    connectionPool: {
      tcp: { maxConnections: 100, connectTimeout: '30ms' },
      http: { http2MaxRequests: 1000, maxRetries: 3 },
    },
    outlierDetection: { consecutive5xxErrors: 7, interval: '5m', baseEjectionTime: '15m', maxEjectionPercent: 50 },
  };
  expect(policies).toEqual({ productpage: expected, details: expected, ratings: expected, reviews: expected });
});

test("a preset's policy overrides the configured one setting by setting, on its service only", () => {
  const policies = policiesWith(
    {
      loadBalancer: 'LEAST_REQUEST',
      connectionPool: { tcp: { maxConnections: 100, connectTimeout: '30ms' } },
      outlierDetection: { interval: '10s' },
    },
    'circuit-breaker',
  );
  expect(policies.reviews).toEqual({
    loadBalancer: { simple: 'LEAST_REQUEST' },
    connectionPool: {
      tcp: { maxConnections: 1, connectTimeout: '30ms' },
      http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
    },
    outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
  });
  expect(policies.details).toEqual({
    loadBalancer: { simple: 'LEAST_REQUEST' },
    connectionPool: { tcp: { maxConnections: 100, connectTimeout: '30ms' } },
    outlierDetection: { interval: '10s' },
  });
});

describe('a bad traffic policy stops the synth, naming the DestinationRule, the field and the value', () => {
  test.each<[string, unknown, string]>([
    [
      'negative connections',
      { connectionPool: { tcp: { maxConnections: -1 } } },
      'connectionPool.tcp.maxConnections = -1: must be a whole number from 0',
    ],
    [
      'a malformed interval',
      { outlierDetection: { interval: 'often' } },
      'outlierDetection.interval = "often": must be a duration',
    ],
    [
      'a negative ejection time',
      { outlierDetection: { baseEjectionTime: '-3m' } },
      'outlierDetection.baseEjectionTime = "-3m": is negative',
    ],
    [
      'an ejection percentage above 100',
      { outlierDetection: { maxEjectionPercent: 120 } },
      'outlierDetection.maxEjectionPercent = 120: must be a percentage from 0 to 100',
    ],
  ])('%s', (_name, policy, message) => {
    const run = () => policiesWith(policy);
    expect(run).toThrow(`DestinationRule "details" trafficPolicy.${message}`);
  });

  test('an unknown load balancer is a configuration error listing the valid ones', () => {
    expect(() => policiesWith({ loadBalancer: 'FASTEST' })).toThrow(
      /traffic\.policy\.loadBalancer = "FASTEST": must be one of ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH/,
    );
  });
});
