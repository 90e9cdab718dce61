import { isJsonObject, type JsonObject, type KubeObject } from '../kube/object';
import { canonicalQuantity } from './quantity';
import { kindKey } from '../kube/workload-kinds';

/**
 * istioctl reads each workload into Go's typed API structs and writes it back, which adds the fields Go always
 * prints (an empty `status`, `resources: {}` on every container, `strategy: {}`) and prints quantities in canonical
 * form. Reproducing that is what makes our output equal istioctl's as parsed YAML; none of it changes what the
 * API server stores. Only workload kinds istioctl decodes get this, whether injected or not.
 */

/** The status fields Go prints for an object that has never run (fields without `omitempty`). */
const EMPTY_STATUS: Readonly<Record<string, JsonObject>> = {
  'v1/Pod': {},
  'v1/ReplicationController': { replicas: 0 },
  'apps/v1/Deployment': {},
  'apps/v1/ReplicaSet': { replicas: 0 },
  'apps/v1/StatefulSet': { availableReplicas: 0, replicas: 0 },
  'apps/v1/DaemonSet': { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 },
  'batch/v1/Job': {},
  'batch/v1/CronJob': {},
};

/** Struct-valued spec fields Go prints even when empty. */
const EMPTY_SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'apps/v1/Deployment': ['strategy'],
  'apps/v1/StatefulSet': ['updateStrategy'],
  'apps/v1/DaemonSet': ['updateStrategy'],
};

/** Adds what Go's round trip adds to a workload (in place). */
export function applyGoRoundTrip(obj: KubeObject): void {
  const key = kindKey(obj);
  obj.metadata ??= {};
  obj.status = { ...EMPTY_STATUS[key], ...(isJsonObject(obj.status) ? obj.status : {}) };
  const spec = obj.spec;
  if (!isJsonObject(spec)) return;
  for (const field of EMPTY_SPEC_FIELDS[key] ?? []) spec[field] ??= {};
  if (obj.kind === 'Pod') {
    normalizePodSpec(spec);
    return;
  }
  let holder: JsonObject = spec;
  if (obj.kind === 'CronJob') {
    if (!isJsonObject(spec.jobTemplate)) return;
    spec.jobTemplate.metadata ??= {};
    if (!isJsonObject(spec.jobTemplate.spec)) return;
    holder = spec.jobTemplate.spec;
  }
  if (!isJsonObject(holder.template)) return;
  holder.template.metadata ??= {};
  if (isJsonObject(holder.template.spec)) normalizePodSpec(holder.template.spec);
}

/** A `kind: List` gets an empty `metadata`, as Go's List type prints it. */
export function applyGoRoundTripToList(list: KubeObject): void {
  list.metadata ??= {};
}

function normalizePodSpec(spec: JsonObject): void {
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      if (!isJsonObject(container)) continue;
      container.resources = isJsonObject(container.resources) ? canonicalResources(container.resources) : {};
      // zero probe numbers and empty env values are Go's zero values, which it leaves out
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const p = container[probe];
        if (!isJsonObject(p)) continue;
        for (const [key, value] of Object.entries(p)) if (value === 0) delete p[key];
      }
      if (Array.isArray(container.env)) {
        for (const env of container.env) if (isJsonObject(env) && env.value === '') delete env.value;
      }
    }
  }
  if (isJsonObject(spec.overhead)) spec.overhead = canonicalMap(spec.overhead);
  if (Array.isArray(spec.volumes)) {
    for (const volume of spec.volumes) {
      const emptyDir = isJsonObject(volume) ? volume.emptyDir : undefined;
      if (isJsonObject(emptyDir) && emptyDir.sizeLimit !== undefined) {
        emptyDir.sizeLimit = canonicalQuantity(emptyDir.sizeLimit as string | number);
      }
    }
  }
}

function canonicalResources(resources: JsonObject): JsonObject {
  const out: JsonObject = { ...resources };
  for (const field of ['limits', 'requests']) {
    if (isJsonObject(out[field])) out[field] = canonicalMap(out[field] as JsonObject);
  }
  return out;
}

function canonicalMap(quantities: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(quantities).map(([name, value]) => [name, canonicalQuantity(value as string | number)]),
  );
}
