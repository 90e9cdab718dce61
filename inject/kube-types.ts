/**
 * The parts of Kubernetes objects the injector reads and writes, as plain JSON. Fields it does not look at are kept
 * as they are (the index signatures), so nothing a chart sets is lost.
 */

export type JsonObject = { [key: string]: unknown };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; controller?: boolean }[];
  [key: string]: unknown;
}

export interface ContainerPort {
  name?: string;
  hostPort?: number;
  containerPort: number;
  protocol?: string;
  hostIP?: string;
  [key: string]: unknown;
}

export interface HttpGetAction {
  path?: string;
  port: number | string;
  host?: string;
  scheme?: string;
  httpHeaders?: { name: string; value: string }[];
  [key: string]: unknown;
}

/** A probe or a lifecycle handler: the actions the agent can take over. */
export interface ProbeHandler {
  httpGet?: HttpGetAction;
  tcpSocket?: { port: number | string; host?: string; [key: string]: unknown };
  grpc?: { port: number; service?: string | null; [key: string]: unknown };
  timeoutSeconds?: number;
  [key: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: JsonObject;
}

export interface Container {
  name: string;
  image?: string;
  args?: string[];
  restartPolicy?: string;
  volumeMounts?: JsonObject[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  readinessProbe?: ProbeHandler;
  livenessProbe?: ProbeHandler;
  startupProbe?: ProbeHandler;
  lifecycle?: { preStop?: ProbeHandler; postStart?: ProbeHandler; [key: string]: unknown };
  resources?: JsonObject;
  securityContext?: JsonObject;
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  imagePullSecrets?: { name: string }[];
  hostNetwork?: boolean;
  securityContext?: JsonObject;
  [key: string]: unknown;
}

/** A Kubernetes object as parsed from YAML or synthesized by cdk8s. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
