/**
 * The fields of plain Istio and Service objects (as written in YAML: core v1, apps/v1, networking.istio.io/v1,
 * security.istio.io/v1) that the mesh diagram reads. Every field is optional: the diagram draws what is there.
 */

import type { Labels } from '../kube/object';

export type { Labels };

export interface ServiceSpec {
  readonly selector?: Labels;
  readonly ports?: readonly { readonly name?: string; readonly port?: number }[];
}

export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

export interface HttpMatch {
  readonly name?: string;
  readonly uri?: StringMatch;
  readonly method?: StringMatch;
  readonly authority?: StringMatch;
  readonly headers?: Readonly<Record<string, StringMatch>>;
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  readonly port?: number;
  readonly sourceLabels?: Labels;
  readonly sourceNamespace?: string;
}

export interface Destination {
  readonly host?: string;
  readonly subset?: string;
  readonly port?: { readonly number?: number };
}

export interface Percent {
  readonly value?: number;
}

export interface HttpRoute {
  readonly name?: string;
  readonly match?: readonly HttpMatch[];
  readonly route?: readonly { readonly destination?: Destination; readonly weight?: number }[];
  readonly fault?: {
    readonly delay?: { readonly fixedDelay?: string; readonly percentage?: Percent };
    readonly abort?: { readonly httpStatus?: number; readonly grpcStatus?: string; readonly percentage?: Percent };
  };
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string };
  readonly mirror?: Destination;
  readonly mirrorPercentage?: Percent;
}

export interface L4Route {
  readonly route?: readonly { readonly destination?: Destination; readonly weight?: number }[];
}

export interface VirtualServiceSpec {
  readonly hosts?: readonly string[];
  readonly gateways?: readonly string[];
  readonly http?: readonly HttpRoute[];
  readonly tcp?: readonly L4Route[];
  readonly tls?: readonly L4Route[];
}

export interface TrafficPolicy {
  readonly tls?: { readonly mode?: string };
  readonly loadBalancer?: { readonly simple?: string; readonly consistentHash?: unknown };
  readonly connectionPool?: unknown;
  readonly outlierDetection?: unknown;
}

export interface DestinationRuleSpec {
  readonly host?: string;
  readonly trafficPolicy?: TrafficPolicy;
  readonly subsets?: readonly {
    readonly name?: string;
    readonly labels?: Labels;
    readonly trafficPolicy?: TrafficPolicy;
  }[];
}

export interface GatewaySpec {
  readonly selector?: Labels;
  readonly servers?: readonly {
    readonly port?: { readonly number?: number; readonly protocol?: string };
    readonly hosts?: readonly string[];
    readonly tls?: { readonly mode?: string; readonly httpsRedirect?: boolean };
  }[];
}

export interface WorkloadSelector {
  readonly matchLabels?: Labels;
}

export interface PeerAuthenticationSpec {
  readonly selector?: WorkloadSelector;
  readonly mtls?: { readonly mode?: string };
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode?: string }>>;
}

export interface AuthorizationSource {
  readonly principals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly [other: string]: unknown;
}

export interface AuthorizationOperation {
  readonly methods?: readonly string[];
  readonly ports?: readonly string[];
  readonly paths?: readonly string[];
  readonly hosts?: readonly string[];
  readonly [other: string]: unknown;
}

/** A policy's attachment to a Service or a (waypoint) Gateway. */
export interface AuthorizationPolicySpec {
  readonly selector?: WorkloadSelector;
  readonly targetRefs?: readonly ObjectReference[];
  readonly action?: string;
  readonly rules?: readonly {
    readonly from?: readonly { readonly source?: AuthorizationSource }[];
    readonly to?: readonly { readonly operation?: AuthorizationOperation }[];
    readonly when?: readonly unknown[];
  }[];
}

/** A Kubernetes Gateway API Gateway (gateway.networking.k8s.io/v1). */
export interface KubernetesGatewaySpec {
  readonly gatewayClassName?: string;
  readonly addresses?: readonly { readonly value?: string }[];
  readonly listeners?: readonly {
    readonly name?: string;
    readonly port?: number;
    readonly protocol?: string;
    readonly hostname?: string;
  }[];
}

/** What a Gateway API route attaches to, or sends to. */
export interface ObjectReference {
  readonly group?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly sectionName?: string;
  readonly weight?: number;
}

/** One match of a Gateway API HTTPRoute rule. */
export interface RouteRuleMatch {
  readonly path?: { readonly type?: string; readonly value?: string };
  readonly headers?: readonly { readonly name?: string; readonly type?: string; readonly value?: string }[];
  readonly method?: string;
}

/** A Gateway API HTTPRoute (gateway.networking.k8s.io/v1). */
export interface KubernetesHttpRouteSpec {
  readonly parentRefs?: readonly ObjectReference[];
  readonly hostnames?: readonly string[];
  readonly rules?: readonly {
    readonly matches?: readonly RouteRuleMatch[];
    readonly backendRefs?: readonly ObjectReference[];
    readonly filters?: readonly {
      readonly type?: string;
      readonly requestMirror?: { readonly backendRef?: ObjectReference; readonly percent?: number };
      readonly requestRedirect?: { readonly scheme?: string; readonly statusCode?: number };
    }[];
    readonly timeouts?: { readonly request?: string };
  }[];
}
