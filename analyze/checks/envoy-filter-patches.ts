import { arr, num, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const RELATIVE_OPERATION: MessageType = messageType('IST0151');
export const REPLACE_INCORRECTLY: MessageType = messageType('IST0152');
export const ADD_INCORRECTLY: MessageType = messageType('IST0153');
export const REMOVE_INCORRECTLY: MessageType = messageType('IST0154');
export const RELATIVE_OPERATION_WITH_PROXY_VERSION: MessageType = messageType('IST0155');

const ROUTE_TARGETS = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
const REPLACEABLE = new Set(['NETWORK_FILTER', 'HTTP_FILTER', 'VIRTUAL_HOST']);

/**
 * EnvoyFilter patches that Envoy ignores or that may apply in the wrong order (istioctl's
 * envoyfilter.EnvoyPatchAnalyzer): ADD or REMOVE on routes (IST0153, IST0154), REPLACE outside filters and virtual
 * hosts (IST0152), and relative operations (INSERT_BEFORE/AFTER, REPLACE, REMOVE) without a priority (IST0151), or
 * on a filter that an earlier patch scoped by proxy version names (IST0155, which upgrades can break).
 */
export const envoyFilterPatches: Check = {
  description: 'EnvoyFilter patches use operations that apply to their target, and relative ones have a priority',
  messages: [
    RELATIVE_OPERATION,
    REPLACE_INCORRECTLY,
    ADD_INCORRECTLY,
    REMOVE_INCORRECTLY,
    RELATIVE_OPERATION_WITH_PROXY_VERSION,
  ],
  run(mesh, report) {
    const versionScoped = new Set<string>();
    for (const object of mesh.index.ofKind('EnvoyFilter')) {
      const spec = rec(object.manifest.spec);
      const priority = num(spec.priority) ?? 0;
      for (const [index, raw] of arr(spec.configPatches).entries()) {
        const patch = rec(raw);
        if (patch.patch === undefined || patch.patch === null) break;
        const operation = str(rec(patch.patch).operation) ?? 'INVALID';
        const applyTo = str(patch.applyTo) ?? 'INVALID';
        const name = patchedName(patch);
        const path = ['spec', 'configPatches', index];
        const relative = () => {
          if (priority !== 0) return;
          const type = versionScoped.has(name) ? RELATIVE_OPERATION_WITH_PROXY_VERSION : RELATIVE_OPERATION;
          report(type, object, formatMessage(type), path);
        };
        if (operation === 'ADD') {
          if (ROUTE_TARGETS.has(applyTo)) report(ADD_INCORRECTLY, object, formatMessage(ADD_INCORRECTLY), path);
        } else if (operation === 'REMOVE') {
          if (ROUTE_TARGETS.has(applyTo)) report(REMOVE_INCORRECTLY, object, formatMessage(REMOVE_INCORRECTLY), path);
          else relative();
        } else if (operation === 'REPLACE') {
          if (!REPLACEABLE.has(applyTo)) report(REPLACE_INCORRECTLY, object, formatMessage(REPLACE_INCORRECTLY), path);
          else relative();
        } else if (operation === 'INSERT_BEFORE' || operation === 'INSERT_AFTER') {
          relative();
        }
        if (str(rec(rec(patch.match).proxy).proxyVersion)) versionScoped.add(name);
      }
    }
  },
};

/**
 * What a patch is about, as upstream names it: the `name` of its value, else (a value without one) the filter its
 * listener match names. The two spellings never compare equal upstream (a protobuf Value's text against a plain
 * name), so they are kept apart here too.
 */
function patchedName(patch: Record<string, unknown>): string {
  const value = rec(patch.patch).value;
  if (value === undefined || value === null || Object.keys(rec(value)).length === 0) return '';
  const own = rec(value).name;
  if (own !== undefined) return `value:${JSON.stringify(own)}`;
  return str(rec(rec(rec(rec(patch.match).listener).filterChain).filter).name) ?? '';
}
