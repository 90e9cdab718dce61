import { stringify } from 'yaml';
import { GoStruct, isMap, plain, printValue, truth, type Funcs } from './go-template';

/**
 * The functions injection templates can call: Go's built-ins, the sprig functions Istio's templates use, and
 * Istio's own (its InjectionFuncmap, which overrides sprig's `contains` and `indent`).
 */

const str = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : printValue(v));
const empty = (v: unknown) => !truth(v);
const equal = (a: unknown, b: unknown) =>
  a === b || ((a === undefined || a === null) && b === '') || ((b === undefined || b === null) && a === '');

/** sigs.k8s.io/yaml: keys sorted, a trailing newline. */
function toYaml(value: unknown): string {
  const v = plain(value);
  if (v === undefined || v === null) return 'null\n';
  return stringify(sortKeys(v), { lineWidth: 0 });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isMap(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}

/** Go's fmt verbs the templates use: %s %v %d %t %q. */
function sprintf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([svdtq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    return verb === 'q' ? JSON.stringify(str(arg)) : printValue(arg);
  });
}

export function templateFuncs(extra: Funcs = {}): Funcs {
  return {
    // Go's built-ins (and/or are evaluated lazily by the engine)
    not: (v) => !truth(v),
    eq: (a, ...rest) => rest.some((b) => equal(a, b)),
    ne: (a, b) => !equal(a, b),
    lt: (a, b) => a < b,
    le: (a, b) => a <= b,
    gt: (a, b) => a > b,
    ge: (a, b) => a >= b,
    len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : isMap(v) ? Object.keys(v).length : 0),
    index: (v, ...keys) => {
      let at = v instanceof GoStruct ? v.json : v;
      for (const key of keys)
        at = at === undefined || at === null ? undefined : (at as Record<string, unknown>)[key as string];
      return at;
    },
    print: (...args) => args.map(printValue).join(''),
    printf: sprintf,
    // sprig
    default: (fallback, ...given) => (given.length === 0 || empty(given[0]) ? fallback : given[0]),
    empty,
    quote: (...args) => args.map((a) => JSON.stringify(str(a))).join(' '),
    squote: (...args) => args.map((a) => `'${str(a)}'`).join(' '),
    nindent: (n: number, s: unknown) =>
      `\n${str(s)
        .split('\n')
        .map((line) => ' '.repeat(n) + line)
        .join('\n')}`,
    trim: (s) => str(s).trim(),
    trimSuffix: (suffix, s) => (str(s).endsWith(suffix) ? str(s).slice(0, -suffix.length) : str(s)),
    trimPrefix: (prefix, s) => (str(s).startsWith(prefix) ? str(s).slice(prefix.length) : str(s)),
    trunc: (n: number, s) => str(s).slice(0, n),
    hasPrefix: (prefix, s) => str(s).startsWith(prefix),
    hasSuffix: (suffix, s) => str(s).endsWith(suffix),
    list: (...items) => items,
    append: (list, item) => [...(Array.isArray(list) ? list : []), item],
    join: (sep, list) => (Array.isArray(list) ? list.map(str).join(sep) : str(list)),
    split: (sep, s) =>
      Object.fromEntries(
        str(s)
          .split(sep)
          .map((p, i) => [`_${i}`, p]),
      ),
    splitList: (sep, s) => str(s).split(sep),
    dict: (...kv) => Object.fromEntries(kv.flatMap((v, i) => (i % 2 === 0 ? [[str(v), kv[i + 1]]] : []))),
    hasKey: (map, key) => isMap(map) && key in map,
    toString: str,
    lower: (s) => str(s).toLowerCase(),
    upper: (s) => str(s).toUpperCase(),
    replace: (from, to, s) => str(s).split(from).join(to),
    ternary: (a, b, cond) => (truth(cond) ? a : b),
    coalesce: (...args) => args.find(truth),
    // Istio's
    isset: (map, key) => isMap(map) && key in map,
    annotation: (meta, name, fallback) => {
      const annotations = meta instanceof GoStruct ? meta.json.annotations : undefined;
      return isMap(annotations) && name in annotations ? str(annotations[name]) : printValue(fallback);
    },
    valueOrDefault: (value, fallback) => (value === '' || value === undefined || value === null ? fallback : value),
    toJSON: (m) => (m === undefined || m === null ? '{}' : JSON.stringify(plain(m))),
    fromJSON: (j) => {
      try {
        return JSON.parse(str(j));
      } catch {
        return '{}';
      }
    },
    structToJSON: (v) => (v === undefined || v === null ? '{}' : JSON.stringify(plain(v))),
    toYaml,
    indent: (n: number, s) =>
      str(s)
        .split('\n')
        .map((line, i) => (i > 0 ? ' '.repeat(n) + line : line))
        .join('\n'),
    directory: (p) => str(p).slice(0, str(p).lastIndexOf('/') + 1),
    contains: (needle, haystack) => str(haystack).includes(str(needle)),
    toLower: (s) => str(s).toLowerCase(),
    env: (_key, fallback) => fallback, // istiod's environment: none at synth time
    omit: (map, ...keys) =>
      isMap(map) ? Object.fromEntries(Object.entries(map).filter(([k]) => !keys.includes(k))) : {},
    strdict: (...kv) => Object.fromEntries(kv.flatMap((v, i) => (i % 2 === 0 ? [[str(v), str(kv[i + 1])]] : []))),
    toJsonMap: (...maps) => JSON.stringify(Object.assign({}, ...maps.filter(isMap))),
    mergeMaps: (...maps) => Object.assign({}, ...maps.filter(isMap)),
    omitNil: (v) => omitNil(plain(v)),
    ...extra,
  };
}

function omitNil(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(omitNil);
  if (!isMap(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => [k, omitNil(x)]),
  );
}
