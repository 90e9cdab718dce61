import { analyzeManifests } from '../../analyze/analyzer';
import type { CallGraph } from '../../analyze/call-graph';
import type { Manifest } from '../../kube/object';
import { fixture } from './fixtures';

// The ways a call-graph edge can be refused, beyond the missing ALLOW policy of fixtures/HI0002.

const base = fixture('base.yaml');
const edge = (change: Partial<CallGraph['edges'][number]> = {}): CallGraph => ({
  edges: [
    {
      from: { namespace: 'demo', serviceAccount: 'client' },
      to: { namespace: 'demo', service: 'web' },
      methods: ['GET'],
      ports: [8080],
      ...change,
    },
  ],
});
const policy = (name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name, namespace: 'demo' },
  spec,
});
const allowClient = policy('web', {
  selector: { matchLabels: { app: 'web' } },
  rules: [
    {
      from: [{ source: { principals: ['cluster.local/ns/demo/sa/client'] } }],
      to: [{ operation: { methods: ['GET'], ports: ['8080'] } }],
    },
  ],
});
const messages = (manifests: Manifest[], callGraph: CallGraph) =>
  analyzeManifests([...base, ...manifests], { injection: 'auto', callGraph })
    .filter((f) => f.code === 'HI0002' || f.code === 'HI0003')
    .map((f) => `${f.code} ${f.message}`);

test('an admitted edge passes', () => {
  expect(messages([allowClient], edge())).toEqual([]);
});

test('a DENY policy that matches the call refuses it, whatever ALLOW says', () => {
  const deny = policy('no-client', {
    action: 'DENY',
    rules: [{ from: [{ source: { namespaces: ['demo'] } }], to: [{ operation: { methods: ['GET'] } }] }],
  });
  expect(messages([allowClient, deny], edge())).toEqual([
    'HI0002 cluster.local/ns/demo/sa/client calling web on port 8080 with GET (workload web-v1) is denied by AuthorizationPolicy demo/no-client',
  ]);
});

test('an edge to a Service or a port that does not exist (and the policy for the real one is then stale)', () => {
  expect(messages([allowClient], edge({ to: { namespace: 'demo', service: 'api' } }))).toEqual([
    'HI0003 rule #0 of AuthorizationPolicy demo/web admits principal cluster.local/ns/demo/sa/client, but no call-graph edge from it reaches the workloads it applies to',
    'HI0002 the call graph calls Service demo/api, which does not exist',
  ]);
  expect(messages([allowClient], edge({ ports: [9090] }))).toEqual([
    'HI0003 rule #0 of AuthorizationPolicy demo/web admits port 8080, which no call-graph edge from the callers it admits uses',
    'HI0002 the call graph calls port 9090 of web-v1, but Service demo/web sends traffic only to 8080',
  ]);
});

test('an edge for any method needs a rule for any method', () => {
  expect(messages([allowClient], edge({ methods: undefined }))).toEqual([
    'HI0002 cluster.local/ns/demo/sa/client calling web on port 8080 (workload web-v1) is admitted by no ALLOW AuthorizationPolicy that applies there',
  ]);
});

test('a rule that admits any caller is too broad for a declared graph', () => {
  const anyone = policy('web', {
    selector: { matchLabels: { app: 'web' } },
    rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
  });
  expect(messages([anyone], edge())).toEqual([
    'HI0003 rule #0 of AuthorizationPolicy demo/web admits any caller; the call graph names cluster.local/ns/demo/sa/client',
  ]);
});

test('without a call graph, the call-graph checks do not run', () => {
  expect(
    analyzeManifests([...base, policy('deny-all', {})], { injection: 'auto' }).filter((f) =>
      f.code.startsWith('HI000'),
    ),
  ).toEqual([]);
});
