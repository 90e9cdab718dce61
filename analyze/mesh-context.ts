import type { InjectionMode } from '../kube/sidecar-injection';
import type { CallGraph } from './call-graph';

/** An ingress gateway the control plane runs: its pods' labels, its Service's ports and its identity. */
export interface IngressGatewayWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly targetPort?: number }[];
  readonly serviceAccount?: string;
}

/**
 * What the analyzer knows beyond the manifests: settings the app hands it. In a synth they come from the environment
 * (cdk8s/analyzer-context.ts); for arbitrary files, `npm run analyze` takes them from options (`--env`, `--call-graph`)
 * or infers them from the files.
 */
export interface MeshContext {
  /**
   * The minor of the Istio release whose istioctl judges the manifests (`1.29`): messages its istioctl does not have
   * (the catalogue's `releases`) are not reported.
   * @default - every message of the catalogue
   */
  readonly istioMinor?: string;
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
  readonly ingressGateways?: readonly IngressGatewayWorkload[];
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
   * The mesh config (istiod's `mesh` settings, as in the `istio` ConfigMap's `mesh` key) where a check depends on it.
   * @default - Istio's defaults
   */
  readonly meshConfig?: Readonly<Record<string, unknown>>;
  /**
   * The namespace of namespaced objects that name none (what `kubectl apply` would use).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/**
 * The ingress gateway istioctl analyze assumes when it reads files (pkg/config/analysis/local/defaults.go): pods
 * labelled `istio: ingressgateway` behind the `istio-ingressgateway` Service in istio-system.
 */
export const ISTIOCTL_INGRESS_GATEWAY: IngressGatewayWorkload = {
  name: 'istio-ingressgateway',
  namespace: 'istio-system',
  labels: { istio: 'ingressgateway' },
  ports: [
    { name: 'http2', port: 80, targetPort: 80 },
    { name: 'https', port: 443, targetPort: 443 },
    { name: 'tcp', port: 31400, targetPort: 31400 },
    { name: 'tls', port: 15443, targetPort: 15443 },
  ],
};
