import type { ErrorObject, ValidateFunction } from 'ajv';

/** Where `npm run schemas` writes the schemas and the validators compiled from them, relative to the project root. */
export const SCHEMAS_DIR = 'schemas';
export const VALIDATORS_FILE = 'validators.js';

/** A path inside an object: property names and list indexes. */
import type { FieldPath } from '../kube/object';

export type { FieldPath };

/** One way an object breaks its schema. */
export interface SchemaViolation {
  /** Where in the object, for example `['spec', 'replicas']`. */
  readonly path: FieldPath;
  /** What the schema wants, for example `must be integer, not string "2"`. */
  readonly message: string;
}

/** What validation says about one object. */
export type SchemaVerdict =
  | { readonly known: true; readonly violations: readonly SchemaViolation[] }
  /** No schema for this apiVersion and kind: neither Kubernetes 1.33 nor Istio 1.30.3 defines it. */
  | { readonly known: false };

interface ValidatorModule {
  readonly kinds: Readonly<Record<string, string>>;
  /** Each other Istio minor's `kinds` (its CRDs' schemas), by minor. */
  readonly releaseKinds: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly [validator: string]: ValidateFunction | Readonly<Record<string, unknown>>;
}

let loaded: ValidatorModule | undefined;

/** The generated validators, loaded once per process (tens of milliseconds, versus ~1 s to compile the schemas). */
function validators(): ValidatorModule {
  // Required here, not imported, so that commands that never validate (kube-inject) never load it; a literal path, so
  // that the command bundles include it and V8's code cache covers it (cli/run.mjs).
  loaded ??= require('../schemas/validators.js') as ValidatorModule;
  return loaded;
}

let groups: ReadonlySet<string> | undefined;

/** Whether the schemas cover this API group (core `v1`, `apps/v1`, `networking.istio.io/v1beta1`...), in any version. */
export function isKnownApiGroup(apiVersion: string): boolean {
  groups ??= new Set(Object.keys(validators().kinds).map((kind) => groupOf(kind.slice(0, kind.lastIndexOf('/')))));
  return groups.has(groupOf(apiVersion));
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * Validates one object against the schema of its apiVersion and kind (Istio kinds: of `istioMinor`'s CRDs, by default
 * 1.30's), strictly: unknown fields are errors, as with
 * `kubectl apply --validate=strict`. Fields set to `null` count as absent, as the API server reads them.
 */
export function validateObject(
  object: { readonly apiVersion?: unknown; readonly kind?: unknown },
  istioMinor?: string,
): SchemaVerdict {
  const module = validators();
  const kinds = (istioMinor !== undefined ? module.releaseKinds[istioMinor] : undefined) ?? module.kinds;
  const name = kinds[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (!name) return { known: false };
  const validate = module[name] as ValidateFunction;
  const data = withoutNulls(object);
  if (validate(data)) return { known: true, violations: [] };
  return { known: true, violations: (validate.errors ?? []).map((error) => describe(error, data)) };
}

function describe(error: ErrorObject, data: unknown): SchemaViolation {
  const at = pointerToPath(error.instancePath, data);
  const value = valueAt(data, at);
  switch (error.keyword) {
    case 'required':
      return { path: [...at, error.params.missingProperty], message: 'is required' };
    case 'additionalProperties':
      return {
        path: [...at, error.params.additionalProperty],
        message: 'is not a field of this object (unknown field)',
      };
    case 'type':
      return { path: at, message: `must be ${String(error.params.type).split(',').join(' or ')}, not ${show(value)}` };
    case 'enum':
      return {
        path: at,
        message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${show(value)}`,
      };
    case 'format':
      return { path: at, message: `must be a valid ${error.params.format}, not ${show(value)}` };
    default:
      return {
        path: at,
        message: `${error.message ?? error.keyword}${value === undefined || typeof value === 'object' ? '' : `, not ${show(value)}`}`,
      };
  }
}

/** The JSON type and value, for messages: `string "2"`, `integer 3`, `an object`. */
function show(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'integer' : 'number'} ${value}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (!pointer) return [];
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(node) ? Number(key) : key;
    path.push(step);
    node = (node as Record<string | number, unknown> | undefined)?.[step];
  }
  return path;
}

function valueAt(data: unknown, at: FieldPath): unknown {
  return at.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], data);
}

/** The object without its null-valued fields (the same object when it has none). */
function withoutNulls<T>(value: T): T {
  if (!hasNull(value)) return value;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, strip(v)]),
      );
    }
    return node;
  };
  return strip(value) as T;
}

function hasNull(node: unknown): boolean {
  if (node === null) return true;
  if (typeof node !== 'object') return false;
  for (const v of Array.isArray(node) ? node : Object.values(node as object)) if (hasNull(v)) return true;
  return false;
}

/** A field path as people write it: `spec.containers[0].ports[0].containerPort`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}
