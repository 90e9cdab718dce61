import { isJsonObject, type JsonObject } from '../kube/object';

/**
 * Kubernetes strategic merge, for the pod fields injection merges (Istio overlays its rendered template onto the
 * pod this way). Lists of named things merge item by item on their merge key; other lists are replaced; objects
 * merge key by key; a null in the patch deletes.
 *
 * Order follows the apimachinery implementation: the patch's items keep their order, the pod's own items keep
 * theirs, and items only the pod has go after the patch's (so injected volumes come before the app's).
 */

/** Merge keys of the PodSpec and Container lists (the `patchMergeKey` tags of k8s.io/api/core/v1). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
};

/** Merges `patch` into `original`, returning a new object; neither input is changed. */
export function strategicMerge(original: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value) && isJsonObject(result[key])) {
      result[key] = strategicMerge(result[key] as JsonObject, value);
    } else if (Array.isArray(value) && key in MERGE_KEYS && Array.isArray(result[key])) {
      result[key] = mergeList(result[key] as JsonObject[], value as JsonObject[], MERGE_KEYS[key]);
    } else {
      result[key] = withoutNulls(value);
    }
  }
  return result;
}

function mergeList(original: JsonObject[], patch: JsonObject[], mergeKey: string): JsonObject[] {
  if (patch.length === 0) return original;
  const keyOf = (item: JsonObject) => JSON.stringify(item[mergeKey]);
  const originalIndex = new Map(original.map((item, i) => [keyOf(item), i]));
  const patched = patch.map((item) => {
    const i = originalIndex.get(keyOf(item));
    return i === undefined ? (withoutNulls(item) as JsonObject) : strategicMerge(original[i], item);
  });
  const patchKeys = new Set(patch.map(keyOf));
  const originalOnly = original.filter((item) => !patchKeys.has(keyOf(item)));
  // apimachinery's mergeSortedSlice: an original-only item goes before a patch item only if both are in the
  // original and it came first there
  const merged: JsonObject[] = [];
  let i = 0;
  let j = 0;
  while (i < originalOnly.length || j < patched.length) {
    if (j >= patched.length) {
      merged.push(originalOnly[i++]);
    } else if (i < originalOnly.length) {
      const left = originalIndex.get(keyOf(originalOnly[i]));
      const right = originalIndex.get(keyOf(patched[j]));
      if (left !== undefined && right !== undefined && left < right) merged.push(originalOnly[i++]);
      else merged.push(patched[j++]);
    } else {
      merged.push(patched[j++]);
    }
  }
  return merged;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  // a loop, not entries/filter/fromEntries: this runs on every node the template renders
  const result: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v !== null) setOwn(result, key, withoutNulls(v));
  }
  return result;
}

/** `object[key] = value`, as an own property even for `__proto__` (as Object.fromEntries sets it). */
function setOwn(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
