/**
 * The one model of a Kubernetes object, as plain JSON, that every reader and engine shares: `Manifest` as synthesized
 * or read from YAML, the pod fields the injector reads and writes (fields it does not look at are kept as they are,
 * through the index signatures, so nothing a chart sets is lost), the reference a finding or a diff names an object
 * by, and forgiving readers for objects nobody has validated yet. Imports nothing of ours.
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

/** A Kubernetes manifest as plain JSON (synthesized, or read from a file). */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One chart's synthesized objects, in apply order (one output file). */
export interface ChartManifests {
  /** The output file name, numbered so that `kubectl apply -f <folder>` applies charts in order. */
  readonly file: string;
  readonly manifests: Manifest[];
}

/** How an object is named: by kind, namespace and name. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Left out for cluster-scoped objects. */
  readonly namespace?: string;
}

/** `v1`, `apps/v1` → its API group (`''` for core). */
export function apiGroupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Kinds without a namespace; every other kind is read as namespaced (its namespace defaulted as kubectl does). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'GatewayClass',
]);

/** Where a field is in an object: keys and list indexes. */
export type FieldPath = readonly (string | number)[];

/** Labels, annotations and selectors: string to string. */
export type Labels = Readonly<Record<string, string>>;

// Forgiving readers: a value of the wrong type reads as absent (schema validation reports it).
export const rec = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
export const arr = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
export const strings = (value: unknown): string[] => arr(value).filter((v): v is string => typeof v === 'string');
export function labelsOf(value: unknown): Labels {
  const labels: Record<string, string> = {};
  for (const [key, v] of Object.entries(rec(value))) if (typeof v === 'string') labels[key] = v;
  return labels;
}

/** Whether every pair of a selector is among the labels (an empty selector selects everything). */
export function selects(selector: Labels, labels: Labels): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/**
 * Whether labels satisfy a Kubernetes LabelSelector (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist). A missing selector selects everything; a malformed one selects nothing, as the API server reads it.
 */
export function matchesLabelSelector(selector: unknown, labels: Labels): boolean {
  if (selector === undefined || selector === null) return true;
  const s = rec(selector);
  if (!selects(labelsOf(s.matchLabels), labels)) return false;
  return arr(s.matchExpressions).every((raw) => {
    const e = rec(raw);
    const key = str(e.key) ?? '';
    const values = strings(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[key]);
      case 'NotIn':
        return !has || !values.includes(labels[key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
