/**
 * A deep copy of JSON data, as structuredClone makes it (an object met twice is copied once and met twice in the
 * copy), several times faster: plain objects and arrays are copied here, anything else by structuredClone.
 */
export function cloneJson<T>(value: T): T {
  return typeof value === 'object' && value !== null ? (copyOf(value, new Map()) as T) : value;
}

function copyOf(value: object, copies: Map<object, unknown>): unknown {
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return structuredClone(value);
    const out: unknown[] = new Array(value.length);
    copies.set(value, out);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = typeof item === 'object' && item !== null ? copyOf(item, copies) : item;
    }
    return out;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  copies.set(value, out);
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const copy = typeof item === 'object' && item !== null ? copyOf(item, copies) : item;
    // `__proto__` as an own key stays one (as structuredClone keeps it)
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}
