// The constructs to compose in a cdk8s app of your own (see "Compose your own mesh" in the README): services with
// hardened Deployments, their DestinationRules and routes, mutual TLS, call-graph authorization between identities,
// and the sidecar injection pass.
export {
  MeshService,
  type IMeshService,
  type MeshIdentity,
  type MeshIdentityProps,
  type MeshServicePort,
  type MeshServiceProps,
  type MeshServiceVersion,
} from './mesh/mesh-service';
export { ServiceDeployment, type ServiceDeploymentProps } from './mesh/service-deployment';
export { injectSidecars, type KubernetesObject } from './mesh/sidecar-injection';
export { ServiceDestinationRule, type ServiceDestinationRuleProps } from './networking/service-destination-rule';
export { ServiceRoutes, type ServiceRoutesProps } from './networking/service-routes';
export {
  CallGraphAuthorization,
  type AllowedCall,
  type CallGraphAuthorizationProps,
} from './security/call-graph-authorization';
export { MutualTls, type MutualTlsProps } from './security/mutual-tls';
export type { SidecarInjectorProps } from '../inject/sidecar-injector';
export type { HttpRoute, TrafficPolicy } from '../config/traffic';
export type { ContainerResources, EnvVarRecord, HealthProbe, EmptyDirMount, ServiceProtocol } from '../config/services';
