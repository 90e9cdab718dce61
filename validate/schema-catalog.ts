/**
 * The project's copy of the schemas it validates against, built from the upstream references by `npm run schemas`:
 * the Kubernetes 1.33 OpenAPI definitions and the `openAPIV3Schema` of every Istio 1.30.3 CRD and of the Gateway API
 * standard channel's CRDs (v1.5.1, the release Istio 1.30 reads).
 *
 * The copy is normalized for validation, the way `kubectl apply --validate=strict` judges an object:
 * - objects that list their properties are closed (`additionalProperties: false`), unless the schema says
 *   `x-kubernetes-preserve-unknown-fields`, so that an unknown or misspelt field is an error;
 * - int-or-string and quantity fields accept both of their JSON types;
 * - Istio's "at most one of these fields" constructs (a `oneOf` over `required`) carry a message naming the fields;
 * - Kubernetes enums that the OpenAPI v2 definitions only describe in prose get an `enum` (ENUM_OVERLAY below);
 * - descriptions are dropped (the references keep them).
 */

/** A JSON schema, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/** The schemas of one source, and which definition validates which apiVersion and kind. */
export interface SchemaCatalog {
  /** Schema id, used in cross-catalog `$ref`s (`kubernetes#/definitions/...`). */
  readonly $id: string;
  /** Where the schemas come from, relative to the project root. */
  readonly source: string;
  /** `<apiVersion>/<kind>` (for example `apps/v1/Deployment`) to the name of its definition. */
  readonly kinds: Record<string, string>;
  readonly definitions: Record<string, JsonSchema>;
}

export const KUBERNETES_SOURCE = '../shared/reference/kubernetes-1.33/_definitions.json';
export const ISTIO_SOURCE = '../shared/reference/istio-1.30.3/crd-all.gen.yaml';

/**
 * The CRDs of each Istio minor's release (relative to the project root; 1.31's from the istio.io/istio module at
 * 1.31.0's commit in the Go module cache, `go mod download istio.io/istio@v0.0.0-20260827124520-eed52ebb66ad`).
 * 1.30's is the default catalog (`istio`); the others are `istio-<minor>`.
 */
export const ISTIO_RELEASE_SOURCES: Readonly<Record<string, { readonly release: string; readonly source: string }>> = {
  '1.29': { release: '1.29.6', source: '../shared/reference/istio-1.29.6/crd-all.gen.yaml' },
  '1.30': { release: '1.30.3', source: ISTIO_SOURCE },
  '1.31': {
    release: '1.31.0',
    source:
      '~/go/pkg/mod/istio.io/istio@v0.0.0-20260827124520-eed52ebb66ad/manifests/charts/base/files/crd-all.gen.yaml',
  },
};
export const DEFAULT_ISTIO_SCHEMA_MINOR = '1.30';

const OBJECT_META = 'kubernetes#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Extension keywords the schemas use; kept in the copy, ignored by the validator (listed so that ajv stays strict). */
export const KUBERNETES_EXTENSIONS = [
  'x-kubernetes-group-version-kind',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-unions',
  'x-kubernetes-validations',
] as const;

/** Keywords of the references that say nothing a validator can check. */
const DROPPED_KEYWORDS = new Set(['description', 'x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy']);

/**
 * Enumerations of the Kubernetes 1.33 API (Go types marked `+enum`), which its OpenAPI v2 definitions state only in
 * descriptions. Keyed by definition, then property; `items` applies the enum to a list's items.
 */
const ENUM_OVERLAY: Record<string, Record<string, readonly string[] | { items: readonly string[] }>> = {
  'io.k8s.api.core.v1.Container': {
    imagePullPolicy: ['Always', 'Never', 'IfNotPresent'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
    restartPolicy: ['Always'],
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    imagePullPolicy: ['Always', 'Never', 'IfNotPresent'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'io.k8s.api.core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  'io.k8s.api.core.v1.PodSecurityContext': { fsGroupChangePolicy: ['OnRootMismatch', 'Always'] },
  'io.k8s.api.core.v1.SeccompProfile': { type: ['Localhost', 'RuntimeDefault', 'Unconfined'] },
  'io.k8s.api.core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  },
  'io.k8s.api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'io.k8s.api.core.v1.Toleration': {
    operator: ['Exists', 'Equal'],
    effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': { whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'] },
  'io.k8s.api.core.v1.VolumeMount': { mountPropagation: ['None', 'HostToContainer', 'Bidirectional'] },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: { items: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'io.k8s.api.batch.v1.JobSpec': { completionMode: ['NonIndexed', 'Indexed'] },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { policyTypes: { items: ['Ingress', 'Egress'] } },
};

/** The Kubernetes definitions as a catalog: every kind of the API (lists excepted: their items are validated). */
export function kubernetesCatalog(definitions: Record<string, JsonSchema>): SchemaCatalog {
  const normalized: Record<string, JsonSchema> = {};
  const kinds: Record<string, string> = {};
  for (const name of Object.keys(definitions).sort()) {
    normalized[name] = normalize(definitions[name], name);
    const gvks = (definitions[name]['x-kubernetes-group-version-kind'] ?? []) as {
      group: string;
      version: string;
      kind: string;
    }[];
    // apimachinery's meta kinds (DeleteOptions, WatchEvent, Status) carry every group's GVK but are not manifests.
    if (name.startsWith('io.k8s.apimachinery.')) continue;
    for (const { group, version, kind } of gvks) {
      if (kind.endsWith('List')) continue;
      kinds[`${group ? `${group}/` : ''}${version}/${kind}`] = name;
    }
  }
  for (const [name, properties] of Object.entries(ENUM_OVERLAY)) {
    const target = normalized[name]?.properties as Record<string, JsonSchema> | undefined;
    for (const [property, values] of Object.entries(properties)) {
      const schema = target?.[property];
      if (!schema) throw new Error(`enum overlay: ${name} has no property ${property}; update ENUM_OVERLAY`);
      if ('items' in values) (schema.items as JsonSchema).enum = [...values.items];
      else schema.enum = [...values];
    }
  }
  return { $id: 'kubernetes', source: KUBERNETES_SOURCE, kinds: sortKeys(kinds), definitions: normalized };
}

/** A CustomResourceDefinition, as far as the catalog reads it. */
export interface CustomResourceDefinition {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly schema: { readonly openAPIV3Schema: JsonSchema };
    }[];
  };
}

/**
 * The CRDs' schemas as a catalog: one definition per kind (`<group>.<Kind>`), validating every served version.
 * Versions of one kind must share their schema (they do in Istio 1.30.3); a CRD whose versions differ is an error
 * here rather than a silently wrong copy.
 */
export function istioCatalog(
  crds: readonly CustomResourceDefinition[],
  minor: string = DEFAULT_ISTIO_SCHEMA_MINOR,
): SchemaCatalog {
  const $id = minor === DEFAULT_ISTIO_SCHEMA_MINOR ? 'istio' : `istio-${minor}`;
  return crdCatalog($id, ISTIO_RELEASE_SOURCES[minor].source, crds);
}

/** Any CRDs' schemas as a catalog named `$id` (the Gateway API's, for one), read from `source`. */
export function crdCatalog($id: string, source: string, crds: readonly CustomResourceDefinition[]): SchemaCatalog {
  const definitions: Record<string, JsonSchema> = {};
  const kinds: Record<string, string> = {};
  for (const { spec } of crds) {
    const name = `${spec.group}.${spec.names.kind}`;
    const served = spec.versions.filter((v) => v.served);
    const schemas = new Set(served.map((v) => JSON.stringify(v.schema.openAPIV3Schema)));
    if (schemas.size !== 1)
      throw new Error(`${name}: served versions have different schemas; give each its own definition`);
    const body = normalize(served[0].schema.openAPIV3Schema, name);
    definitions[name] = {
      ...body,
      type: 'object',
      properties: {
        apiVersion: { enum: served.map((v) => `${spec.group}/${v.name}`) },
        kind: { enum: [spec.names.kind] },
        metadata: { $ref: OBJECT_META },
        ...(body.properties as Record<string, JsonSchema>),
      },
      additionalProperties: false,
    };
    for (const version of served) kinds[`${spec.group}/${version.name}/${spec.names.kind}`] = name;
  }
  return { $id, source, kinds: sortKeys(kinds), definitions: sortKeys(definitions) };
}

/**
 * @param branch whether `schema` is a branch of a `oneOf`/`anyOf`/`allOf`: a branch only refines properties its
 * object declares (Gateway API's addresses), so it is never closed itself.
 */
function normalize(schema: JsonSchema, where: string, branch = false): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    if (keyword === 'properties' || keyword === 'definitions') {
      out[keyword] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, normalize(v, `${where}.${k}`)]),
      );
    } else if (keyword === 'items' || keyword === 'additionalProperties' || keyword === 'not') {
      out[keyword] = typeof value === 'object' ? normalize(value as JsonSchema, `${where}[]`) : value;
    } else if (keyword === 'oneOf' || keyword === 'anyOf' || keyword === 'allOf') {
      out[keyword] = (value as JsonSchema[]).map((v) => normalize(v, where, true));
    } else {
      out[keyword] = value;
    }
  }
  const alternatives = typesOf(out.oneOf) ?? typesOf(out.anyOf);
  if (alternatives) {
    // int-or-string (`x-kubernetes-int-or-string`, IntOrString) and Quantity: one JSON type or the other.
    delete out.oneOf;
    delete out.anyOf;
    out.type = alternatives;
  }
  const exclusive = exclusiveFields(out.oneOf);
  if (exclusive) {
    const rule = { oneOf: out.oneOf, errorMessage: `must set at most one of: ${exclusive.join(', ')}` };
    delete out.oneOf;
    if (Object.keys(out).length === 0) return rule;
    out.allOf = [...((out.allOf as JsonSchema[]) ?? []), rule];
  }
  const own = Object.keys((out.properties as JsonSchema | undefined) ?? {});
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    for (const alternative of (out[keyword] as JsonSchema[] | undefined) ?? []) {
      // A closed object must list every property itself: branches that add properties would be rejected as unknown.
      const added = Object.keys((alternative.properties as JsonSchema | undefined) ?? {}).filter(
        (p) => !own.includes(p),
      );
      if (added.length > 0)
        throw new Error(`${where}: ${keyword} branch declares properties ${added.join(', ')}; cannot close the object`);
    }
  }
  if (
    !branch &&
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** `[string, integer]` when a schema is "one JSON type or another" (int-or-string, quantity). */
function typesOf(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches) || branches.length < 2) return undefined;
  const types = branches.map((b) =>
    Object.keys(b).length === 1 && typeof b.type === 'string' ? (b.type as string) : undefined,
  );
  return types.every((t) => t !== undefined) ? (types as string[]).sort() : undefined;
}

/**
 * The fields of a protobuf `oneof` as the Istio CRDs state it: `oneOf: [{not: {anyOf: [{required: [a]}, ...]}},
 * {required: [a]}, ...]`, meaning "at most one of a, ...".
 */
function exclusiveFields(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches) || branches.length < 3) return undefined;
  const [none, ...each] = branches as JsonSchema[];
  const requiredOne = (b: JsonSchema) =>
    Object.keys(b).length === 1 && Array.isArray(b.required) && b.required.length === 1
      ? (b.required[0] as string)
      : undefined;
  const fields = each.map(requiredOne);
  const negated = ((none.not as JsonSchema | undefined)?.anyOf as JsonSchema[] | undefined)?.map(requiredOne);
  if (fields.some((f) => f === undefined) || !negated || negated.join() !== fields.join()) return undefined;
  return fields as string[];
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
