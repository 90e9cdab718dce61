import { loadEnvironments } from '../../config';
import { meshGraph } from '../../review/mesh-graph';
import { testEnvironmentInput } from '../helpers/environments';
import { objectsOf } from '../helpers/manifests';

const graphOf = (preset: 'reviews-80-20' | 'all-v1') => {
  const env = loadEnvironments([testEnvironmentInput((e) => (e.traffic = { ingress: 'gateway-api', preset }))], {})[0];
  return meshGraph(objectsOf(env), { ingressGateway: env.ingressGateway });
};
const INGRESS = 'ingress bookinfo/bookinfo-gateway-istio';

describe('the diagram draws Gateway API routes', () => {
  const graph = graphOf('reviews-80-20');
  const traffic = graph.edges
    .filter((e) => e.style === 'traffic')
    .map((e) => `${e.from} -> ${e.to} ${e.lines.join(' / ')}`);

  test("clients reach the gateway Istio deploys, which sends the tutorial's paths to productpage", () => {
    expect(traffic).toContain(`clients -> ${INGRESS} `);
    expect(traffic).toContain(
      `${INGRESS} -> service bookinfo/productpage = /productpage\n/static*\n= /login\n= /logout\n/api/v1/products*`,
    );
  });

  test("a mesh HTTPRoute's weighted backends are drawn as the pods of their per-version Services", () => {
    expect(traffic).toEqual(
      expect.arrayContaining([
        'service bookinfo/reviews -> workload bookinfo/reviews-v1 80%',
        'service bookinfo/reviews -> workload bookinfo/reviews-v2 20%',
      ]),
    );
    expect(traffic.filter((e) => e.startsWith('service bookinfo/reviews -> '))).toHaveLength(2);
    const nodes = graph.groups.flatMap((g) => g.nodes.map((n) => n.key));
    expect(nodes.filter((k) => /^service bookinfo\/\w+-v\d$/.test(k))).toEqual([]);
  });

  test('the policy attached to the Gateway by targetRef opens the gateway to anyone', () => {
    expect(graph.edges).toContainEqual({ from: 'anyone', to: INGRESS, style: 'authorization', lines: ['allow :80'] });
  });
});
