import diff from 'microdiff';

/** Whether a thing is new, gone or different. */
export type ChangeStatus = 'added' | 'removed' | 'changed';

/** One field of an object that differs between two versions. */
export interface FieldChange {
  readonly status: ChangeStatus;
  /**
   * Where the field is, such as `spec.http[0].route[1].weight`. Items of a list whose items all have distinct names
   * are addressed by name (`containers[name=istio-proxy].image`); `(order)` after such a list means that its items
   * were reordered. Empty when the values differ as a whole (a string became a list, say).
   */
  readonly path: string;
  /** The old value (absent when the field was added). */
  readonly before?: unknown;
  /** The new value (absent when the field was removed). */
  readonly after?: unknown;
}

/**
 * The fields that differ between two versions of a JSON-like value, in the order microdiff finds them (old keys
 * first, then new ones).
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const originals = new WeakMap<object, unknown>();
  const a = normalize(before, originals);
  const b = normalize(after, originals);
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) {
    return Object.is(a, b) ? [] : [{ status: 'changed', path: '', before, after }];
  }
  const original = (value: unknown) => (isContainer(value) && originals.has(value) ? originals.get(value) : value);
  return diff(a, b)
    .filter((d) => !(d.type === 'CHANGE' && d.path.at(-1) === ORDER && sameRelativeOrder(d.oldValue, d.value)))
    .map((d): FieldChange => {
      const path = formatPath(d.path);
      if (d.type === 'CHANGE' && d.path.at(-1) === ORDER) {
        return { status: 'changed', path, before: JSON.parse(d.oldValue), after: JSON.parse(d.value) };
      }
      switch (d.type) {
        case 'CREATE':
          return { status: 'added', path, after: original(d.value) };
        case 'REMOVE':
          return { status: 'removed', path, before: original(d.oldValue) };
        case 'CHANGE':
          return { status: 'changed', path, before: original(d.oldValue), after: original(d.value) };
      }
    });
}

/** Renders a value for a report: JSON, compact; `(none)` for a field that is not there. */
export function formatValue(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

// Keys that normalize() adds; a NUL cannot appear in the keys of the manifests and Terraform JSON we compare.
const NAMED = '\u0000name=';
const ORDER = '\u0000order';

/**
 * A copy of a value for microdiff: objects without a prototype (so that a key such as `constructor` compares like any
 * other), and lists of uniquely named objects (containers, ports, env...) as objects keyed by name, so that inserting
 * one item reports that item rather than a change in every later position. Their order is kept under ORDER.
 */
function normalize(value: unknown, originals: WeakMap<object, unknown>): unknown {
  if (Array.isArray(value)) {
    const names = value.map((item) => (isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined));
    const named = value.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length;
    if (!named) {
      const list = value.map((item) => normalize(item, originals));
      originals.set(list, value);
      return list;
    }
    const keyed: Record<string, unknown> = Object.create(null);
    value.forEach((item, i) => (keyed[`${NAMED}${names[i]}`] = normalize(item, originals)));
    keyed[ORDER] = JSON.stringify(names); // one value, so that a reordering is one change
    originals.set(keyed, value);
    return keyed;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) copy[key] = normalize(item, originals);
    originals.set(copy, value);
    return copy;
  }
  return value;
}

/** Whether the names two lists have in common come in the same order (so only additions or removals differ). */
function sameRelativeOrder(beforeJson: string, afterJson: string): boolean {
  const before: string[] = JSON.parse(beforeJson);
  const after: string[] = JSON.parse(afterJson);
  const kept = new Set(after);
  const common = before.filter((n) => kept.has(n));
  const inBefore = new Set(common);
  return after.filter((n) => inBefore.has(n)).every((n, i) => n === common[i]);
}

const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment === ORDER) out += ' (order)';
    else if (segment.startsWith(NAMED)) out += `[name=${segment.slice(NAMED.length)}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}
