import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MESH_PROFILES } from '../../config';
import { analyzeManifests } from '../../analyze/analyzer';
import { callGraphSchema } from '../../analyze/call-graph';
import { formatFinding } from '../../analyze/finding';
import type { MeshContext } from '../../analyze/mesh-context';
import { FIXTURES, fixture } from './fixtures';

// Bookinfo as upstream deploys it (bookinfo.yaml, bookinfo-gateway.yaml, destination-rule-all.yaml, a 50/50 reviews
// split), with STRICT mTLS and least-privilege authorization for its call graph; then a copy with three faults.

const FILES = [
  'bookinfo.yaml',
  'bookinfo-gateway.yaml',
  'destination-rule-all.yaml',
  'virtual-service-reviews-50-v3.yaml',
  'security.yaml',
];

const context: MeshContext = {
  injection: 'auto',
  ingressGateways: [MESH_PROFILES['istio-helm'].ingressGateway],
  callGraph: callGraphSchema.parse(parse(fs.readFileSync(path.join(FIXTURES, 'bookinfo', 'call-graph.yaml'), 'utf8'))),
};

/** The fixture, with broken/<file> in place of <file> where the broken copy has one. */
function bookinfo(broken: boolean) {
  return FILES.flatMap((file) => {
    const faulty = path.join('bookinfo', 'broken', file);
    return fixture(broken && fs.existsSync(path.join(FIXTURES, faulty)) ? faulty : path.join('bookinfo', file));
  });
}

test('Bookinfo analyzes clean', () => {
  expect(analyzeManifests(bookinfo(false), context).map(formatFinding)).toEqual([]);
});

test('the broken copy: each planted fault is found, and nothing else', () => {
  const findings = analyzeManifests(bookinfo(true), context);
  expect(findings.map((f) => [f.level, f.code, `${f.object.kind} ${f.object.name}`])).toEqual([
    // wrong gateway port: upstream's 8080 on a gateway whose Service sends traffic to 80
    ['warning', 'IST0162', 'Gateway bookinfo-gateway'],
    // missing subset: reviews v3 is gone from the DestinationRule, the route to it is not
    ['error', 'IST0101', 'VirtualService reviews'],
    // stale authorization: ratings admits productpage (no such call) and not reviews (the real caller)
    ['warning', 'HI0003', 'AuthorizationPolicy ratings'],
    ['error', 'HI0002', 'CallGraphEdge cluster.local/ns/bookinfo/sa/bookinfo-reviews -> ratings.bookinfo'],
  ]);
  expect(findings.map((f) => f.message)).toEqual([
    expect.stringContaining('listening on a target port (port 8080)'),
    'Referenced host+subset in destinationrule not found: "reviews+v3"',
    'rule #0 of AuthorizationPolicy bookinfo/ratings admits principal cluster.local/ns/bookinfo/sa/bookinfo-productpage, but no call-graph edge from it reaches the workloads it applies to',
    'cluster.local/ns/bookinfo/sa/bookinfo-reviews calling ratings on port 9080 with GET (workload ratings-v1) is admitted by no ALLOW AuthorizationPolicy that applies there',
  ]);
});

test("upstream's destination-rule-all.yaml declares subsets that bookinfo.yaml alone does not run", () => {
  const rules = fixture(path.join('bookinfo', 'destination-rule-all.yaml'));
  const upstreamSubsets: Record<string, string[]> = { ratings: ['v2', 'v2-mysql', 'v2-mysql-vm'], details: ['v2'] };
  for (const rule of rules) {
    const spec = rule.spec as { host: string; subsets: { name: string; labels: Record<string, string> }[] };
    for (const name of upstreamSubsets[spec.host] ?? []) spec.subsets.push({ name, labels: { version: name } });
  }
  const manifests = [...fixture(path.join('bookinfo', 'bookinfo.yaml')), ...rules];
  // istioctl matches subset labels against every pod, so it would take reviews-v2's `version: v2` for ratings and
  // details too; the subsets route to the service's own endpoints, which have no v2.
  expect(
    analyzeManifests(manifests, context)
      .filter((f) => f.code === 'IST0173')
      .map((f) => f.object.name),
  ).toEqual(['ratings', 'ratings', 'ratings', 'details']);
});
