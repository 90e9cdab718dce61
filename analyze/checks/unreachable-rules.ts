import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { rec } from '../../kube/object';
import type { RouteModel } from '../mesh';

export const UNREACHABLE_RULE: MessageType = messageType('IST0130');

export const INEFFECTIVE_MATCH: MessageType = messageType('IST0131');

/**
 * Routes are tried in order, so a rule is dead when an earlier one already takes all its requests (istio's
 * analyzeUnreachable*Rules): every rule after one without matches (a catch-all), and a rule all of whose matches
 * earlier rules cover (IST0130). Each match that an earlier match covers, in an earlier rule or earlier in its own,
 * is ineffective (IST0131).
 * Covering is decided field by field: the earlier match must ask for no more than the later one, for example
 * `prefix: /api` covers `prefix: /api/v1` and `exact: /api/x`, and no headers cover any headers. Where covering
 * cannot be decided (regexes, negations, unknown fields) only identical matches count, as in istioctl.
 */
export const unreachableRules: Check = {
  description: 'No VirtualService rule or match is shadowed by an earlier one',
  messages: [UNREACHABLE_RULE, INEFFECTIVE_MATCH],
  run(mesh, report) {
    for (const vs of mesh.virtualServices) {
      for (const [routes, covers] of [
        [vs.http, httpMatchCovers],
        [vs.tcp, isDeepStrictEqual],
        [vs.tls, isDeepStrictEqual],
      ] as const) {
        analyzeRoutes(routes, covers, (type, message, path) => report(type, vs.object, message, path));
      }
    }
  },
};

function analyzeRoutes(
  routes: readonly RouteModel[],
  covers: (earlier: Record<string, unknown>, later: Record<string, unknown>) => boolean,
  report: (type: MessageType, message: string, path: RouteModel['path']) => void,
): void {
  const seen: { match: Record<string, unknown>; rule: number }[] = [];
  let catchAll: number | undefined;
  routes.forEach((route, rule) => {
    const name = routeName(route, rule);
    if (catchAll !== undefined) {
      const reason =
        route.match.length === 0 ? 'only the last rule can have no matches' : 'route without matches defined before';
      report(UNREACHABLE_RULE, `VirtualService rule ${name} not used (${reason}).`, route.path);
      if (route.match.length === 0) catchAll = rule;
      return;
    }
    if (route.match.length === 0) {
      catchAll = rule;
      return;
    }
    let coveredByPriorRules = 0;
    route.match.forEach((match, m) => {
      // An earlier match of the same rule makes this one redundant too, though the rule stays reachable.
      const earlier = seen.find((s) => covers(s.match, match));
      if (earlier) {
        if (earlier.rule < rule) coveredByPriorRules++;
        const matchName = typeof match.name === 'string' ? `"${match.name}"` : `#${m}`;
        report(
          INEFFECTIVE_MATCH,
          `VirtualService rule ${name} match ${matchName} is not used (duplicate/overlapping match in rule ${routeName(routes[earlier.rule], earlier.rule)}).`,
          [...route.path, 'match', m],
        );
      }
      seen.push({ match, rule });
    });
    if (coveredByPriorRules === route.match.length) {
      report(UNREACHABLE_RULE, `VirtualService rule ${name} not used (all matches used by prior rules).`, route.path);
    }
  });
}

const routeName = (route: RouteModel, index: number) => (route.name ? `"${route.name}"` : `#${index}`);

/** Fields of an HTTPMatchRequest that do not decide which requests it takes. */
const NON_MATCHING_FIELDS = new Set(['name', 'statPrefix']);

/** Whether every request the later match takes, the earlier one takes too. */
export function httpMatchCovers(earlier: Record<string, unknown>, later: Record<string, unknown>): boolean {
  for (const [field, condition] of Object.entries(earlier)) {
    if (NON_MATCHING_FIELDS.has(field) || condition === undefined) continue;
    const other = later[field];
    switch (field) {
      case 'uri':
        if (Boolean(earlier.ignoreUriCase) !== Boolean(later.ignoreUriCase)) return false;
        if (!stringMatchCovers(condition, other, Boolean(earlier.ignoreUriCase))) return false;
        break;
      case 'scheme':
      case 'method':
      case 'authority':
        if (!stringMatchCovers(condition, other, false)) return false;
        break;
      case 'headers':
      case 'queryParams':
        for (const [key, match] of Object.entries(rec(condition))) {
          if (!stringMatchCovers(match, rec(other)[key], false)) return false;
        }
        break;
      case 'sourceLabels':
        for (const [key, value] of Object.entries(rec(condition))) if (rec(other)[key] !== value) return false;
        break;
      case 'gateways': {
        const allowed = new Set(Array.isArray(condition) ? condition : []);
        if (!Array.isArray(other) || other.length === 0 || !other.every((g) => allowed.has(g))) return false;
        break;
      }
      case 'ignoreUriCase':
        break;
      default:
        // port, sourceNamespace, withoutHeaders and anything newer: only the same condition is known to cover.
        if (!isDeepStrictEqual(condition, other)) return false;
    }
  }
  return true;
}

/** Whether a StringMatch (`exact`, `prefix`, `regex`) takes every value the later one takes. */
function stringMatchCovers(earlier: unknown, later: unknown, ignoreCase: boolean): boolean {
  const e = rec(earlier);
  const l = rec(later);
  if (later === undefined) return false;
  const fold = (s: unknown) => (typeof s === 'string' ? (ignoreCase ? s.toLowerCase() : s) : undefined);
  if (e.exact !== undefined) return l.exact !== undefined && fold(e.exact) === fold(l.exact);
  if (e.prefix !== undefined) {
    const value = fold(l.exact ?? l.prefix);
    return value !== undefined && value.startsWith(fold(e.prefix)!);
  }
  if (e.regex !== undefined) return l.regex === e.regex;
  return Object.keys(e).length === 0; // an empty StringMatch asks only for presence
}
