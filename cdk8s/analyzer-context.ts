import { MESH_PROFILES, serviceCatalogue, type Environment } from '../config';
import { istioMinor } from '../config/istio-releases';
import type { CallGraph } from '../analyze/call-graph';
import type { MeshContext } from '../analyze/mesh-context';
import { CallGraph as DeclaredCallGraph, callerIdentities } from './security/call-graph';

// The app hands the analyzer its settings: the analyzer knows nothing of environments or Bookinfo.

/**
 * The analyzer's context from an environment: its injection mode, its control plane's ingress gateway, root namespace
 * and namespace. Context only: the call graph is `callGraphOf`, which a synth adds and `npm run analyze` adds only
 * with `--call-graph`.
 */
export function meshContextOf(env: Environment): MeshContext {
  return {
    istioMinor: istioMinor(env.istio.version),
    injection: env.injection.mode,
    ingressGateways: [env.ingressGateway],
    rootNamespace: MESH_PROFILES[env.mesh.mode].rootNamespace,
    defaultNamespace: env.namespace,
  };
}

/** The environment's declared call graph as the analyzer reads it: the open edges, one per caller identity. */
export function callGraphOf(env: Environment): CallGraph {
  const catalogue = serviceCatalogue(env);
  const directory = { namespace: env.namespace, ingressGateway: env.ingressGateway, catalogue };
  const edges = new DeclaredCallGraph(env.callGraph, catalogue).edges
    .filter((edge) => edge.open)
    .flatMap((edge) =>
      callerIdentities(edge, directory).map((from) => ({
        from,
        to: { namespace: env.namespace, service: edge.to },
        ports: [edge.port],
        methods: edge.methods,
      })),
    );
  return { edges };
}
