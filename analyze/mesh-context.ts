import { MESH_PROFILES, serviceCatalogue, type Environment, type IngressGatewayProfile, type InjectionMode } from '../config';
import { CallGraph as DeclaredCallGraph, callerIdentities } from '../cdk8s/security/call-graph';
import type { CallGraph } from './call-graph';

/**
 * What the analyzer knows beyond the manifests. In a synth it comes from the environment (meshContextOf); for
 * arbitrary files, `npm run analyze` takes it from options (`--env`, `--call-graph`) or infers it from the files.
 */
export interface MeshContext {
  /**
   * How workloads get their sidecars: in the manifests (`manual`), from the cluster's webhook (`auto`), or not at all.
   * @default - `manual` if any workload in the manifests carries an istio-proxy container, otherwise `auto`
   */
  readonly injection?: InjectionMode;
  /**
   * Ingress gateways the control plane runs outside the manifests (their pods' labels and their Service's ports).
   * When given, a Gateway whose selector matches neither these nor a workload in the manifests is an error (IST0101);
   * when left out, the gateways are taken to be outside what is analyzed and such a Gateway is not checked.
   * @default - unknown
   */
  readonly ingressGateways?: readonly IngressGatewayProfile[];
  /**
   * The declared call graph. The call-graph checks (HI0002, HI0003) run only when it is given.
   * @default - none
   */
  readonly callGraph?: CallGraph;
  /**
   * Istio's root namespace: policies there apply to the whole mesh.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The namespace of namespaced objects that name none (what `kubectl apply` would use).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/**
 * The analyzer's context in a synth: the environment's injection mode, its control plane's ingress gateway and root
 * namespace, and its declared call graph (the open edges, one per caller identity, as the policies name them).
 */
export function meshContextOf(env: Environment): MeshContext {
  const catalogue = serviceCatalogue(env);
  const directory = { namespace: env.namespace, ingressGateway: env.ingressGateway, catalogue };
  const edges = new DeclaredCallGraph(env.callGraph, catalogue)
    .edges.filter((edge) => edge.open)
    .flatMap((edge) =>
      callerIdentities(edge, directory).map((from) => ({
        from,
        to: { namespace: env.namespace, service: edge.to },
        ports: [edge.port],
        methods: edge.methods,
      })),
    );
  return {
    injection: env.injection.mode,
    ingressGateways: [env.ingressGateway],
    callGraph: { edges },
    rootNamespace: MESH_PROFILES[env.mesh.mode].rootNamespace,
    defaultNamespace: env.namespace,
  };
}
