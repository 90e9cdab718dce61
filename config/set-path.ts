import { ConfigError } from './load';

/**
 * `--set PATH=VALUE` overrides of an environment, as `helm --set` does them: PATH names a field with dots
 * (`traffic.preset`), list items by index (`services.0.port` or `services[0].port`; `\.` is a dot within a key);
 * VALUE is JSON (`3`, `true`, `["v1","v2"]`, `{"port":8080}`) or else a plain string.
 */

/** One parsed override. */
export interface SetOverride {
  /** The path as written. */
  readonly path: string;
  readonly keys: readonly (string | number)[];
  readonly value: unknown;
}

/** Parses `PATH=VALUE`. @throws ConfigError naming the argument when it has no `=` or no path */
export function parseSetOverride(argument: string): SetOverride {
  const equals = argument.indexOf('=');
  if (equals <= 0) throw new ConfigError(`--set ${argument}: expected PATH=VALUE, such as traffic.preset=reviews-v3`);
  const path = argument.slice(0, equals);
  const text = argument.slice(equals + 1);
  return { path, keys: pathKeys(path), value: parseValue(text) };
}

function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  // Segments split on dots not escaped by a backslash; `name[0]` is `name.0`.
  for (const segment of path.replace(/\[(\d+)\]/g, '.$1').split(/(?<!\\)\./)) {
    if (segment === '')
      throw new ConfigError(
        `--set ${path}: has an empty key; write keys with single dots, such as traffic.gateway.hosts`,
      );
    keys.push(/^\d+$/.test(segment) ? Number(segment) : segment.replace(/\\\./g, '.'));
  }
  return keys;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The input with every override applied in order (later ones win), the input itself left unchanged.
 * @throws ConfigError naming the path when it runs through a value that is not an object or a list, or past a list's end
 */
export function applySetOverrides<T extends object>(input: T, overrides: readonly SetOverride[]): T {
  const result = structuredClone(input) as Record<string | number, unknown>;
  for (const { path, keys, value } of overrides) {
    let node: Record<string | number, unknown> = result;
    keys.forEach((key, i) => {
      const at = keys.slice(0, i + 1).join('.');
      if (Array.isArray(node)) {
        if (typeof key !== 'number')
          throw new ConfigError(
            `--set ${path}: ${keys.slice(0, i).join('.')} is a list; index it with a number, such as ${keys.slice(0, i).join('.')}.0`,
          );
        if (key > node.length)
          throw new ConfigError(
            `--set ${path}: ${at}: the list has ${node.length} item(s); use an index from 0 to ${node.length}`,
          );
      } else if (typeof key === 'number' && !(key in node)) {
        throw new ConfigError(`--set ${path}: ${at}: ${keys.slice(0, i).join('.') || 'the environment'} is not a list`);
      }
      if (i === keys.length - 1) {
        node[key] = structuredClone(value);
        return;
      }
      const next = node[key];
      if (next === undefined || next === null) {
        const index = keys[i + 1];
        if (typeof index === 'number' && index > 0) {
          throw new ConfigError(
            `--set ${path}: ${at} is not set in the environment (its default applies), so it has no item ${index}; set the whole list, such as --set '${at}=[...]'`,
          );
        }
        node[key] = typeof index === 'number' ? [] : {};
      } else if (typeof next !== 'object') {
        throw new ConfigError(
          `--set ${path}: ${at} is ${JSON.stringify(next)}, not an object or a list, so it has no field ${keys[i + 1]}`,
        );
      }
      node = node[key] as Record<string | number, unknown>;
    });
  }
  return result as T;
}
