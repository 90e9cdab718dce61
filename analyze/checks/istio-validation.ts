import { arr, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { SCHEMA_VALIDATION_ERROR } from './schema-validation';

export const SCHEMA_WARNING: MessageType = messageType('IST0133');

const NETWORKING = 'networking.istio.io';

/** Filters whose Envoy message has a `typed_config`: a patch naming one without it relies on a deprecated lookup by name. */
const TYPED_FILTERS = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'LISTENER_FILTER']);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isDnsLabel = (s: string) => s.length <= 63 && DNS_LABEL.test(s);

/**
 * What Istio's own validation of a kind says beyond its schema, as `istioctl analyze` reports it
 * (schema.ValidationAnalyzer over pkg/config/validation), for the rules that need no Envoy or mesh config: the
 * names of Gateways and the gateway names VirtualServices bind to (IST0106, so a VirtualService bound to a Gateway
 * API gateway's internal Gateway is invalid as well as IST0165), and EnvoyFilters, each of which is warned about
 * (IST0133).
 */
export const istioValidation: Check = {
  description:
    "Istio's validation beyond the schema: Gateway names and the gateway names VirtualServices bind to, EnvoyFilter warnings",
  messages: [SCHEMA_VALIDATION_ERROR, SCHEMA_WARNING],
  run(mesh, report) {
    for (const object of mesh.index.ofKind('Gateway', NETWORKING)) {
      // Gateways Istio converts from the Gateway API carry this annotation and keep their own names.
      const gatewaySemantics =
        rec(rec(object.manifest.metadata).annotations)['internal.istio.io/gateway-semantics'] === 'gateway';
      if (!isDnsLabel(object.ref.name) && !gatewaySemantics)
        report(SCHEMA_VALIDATION_ERROR, object, `invalid gateway name: ${JSON.stringify(object.ref.name)}`, [
          'metadata',
          'name',
        ]);
    }
    for (const object of mesh.index.ofKind('VirtualService', NETWORKING)) {
      const spec = rec(object.manifest.spec);
      // Routes Istio converts from the Gateway API carry this annotation and may name internal Gateways.
      const gatewaySemantics =
        rec(rec(object.manifest.metadata).annotations)['internal.istio.io/route-semantics'] === 'gateway';
      const lists: { at: readonly (string | number)[]; names: readonly unknown[]; semantics: boolean }[] = [
        { at: ['spec', 'gateways'], names: arr(spec.gateways), semantics: gatewaySemantics },
      ];
      for (const route of ['tls', 'tcp'] as const) {
        arr(spec[route]).forEach((r, i) =>
          arr(rec(r).match).forEach((m, j) =>
            lists.push({
              at: ['spec', route, i, 'match', j, 'gateways'],
              names: arr(rec(m).gateways),
              semantics: false,
            }),
          ),
        );
      }
      for (const { at, names, semantics } of lists) {
        for (const problem of gatewayNameProblems(
          names.map((n) => str(n) ?? ''),
          semantics,
        )) {
          const type = problem.warning ? SCHEMA_WARNING : SCHEMA_VALIDATION_ERROR;
          report(type, object, problem.warning ? formatMessage(type, problem.text) : problem.text, [
            ...at,
            problem.index,
          ]);
        }
      }
    }
    for (const object of mesh.index.ofKind('EnvoyFilter', NETWORKING)) {
      report(
        SCHEMA_WARNING,
        object,
        formatMessage(
          SCHEMA_WARNING,
          'EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.',
        ),
      );
      arr(rec(object.manifest.spec).configPatches).forEach((raw, index) => {
        const patch = rec(raw);
        const value = rec(rec(patch.patch).value);
        const name = str(value.name);
        if (!TYPED_FILTERS.has(str(patch.applyTo) ?? '') || name === undefined) return;
        if (
          ['typed_config', 'typedConfig', 'config_discovery', 'configDiscovery'].some(
            (k) => value[k] !== undefined && value[k] !== null,
          )
        )
          return;
        report(
          SCHEMA_WARNING,
          object,
          formatMessage(SCHEMA_WARNING, `using deprecated types by name without typed_config; ${name}`),
          ['spec', 'configPatches', index, 'patch', 'value'],
        );
      });
    }
  },
};

export interface GatewayNameProblem {
  readonly index: number;
  readonly text: string;
  readonly warning?: boolean;
}

/**
 * Gateway names as Istio validates them: `namespace/name`, both DNS labels (the name need not be one under gateway
 * semantics); or, without a slash, a host name (a dotted one is the legacy `name.namespace` form, a warning). As
 * upstream, a name without a slash ends the validation of its list.
 */
export function gatewayNameProblems(names: readonly string[], gatewaySemantics: boolean): GatewayNameProblem[] {
  const problems: GatewayNameProblem[] = [];
  for (const [index, name] of names.entries()) {
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const [first, second] = name.split('.');
        problems.push({
          index,
          warning: true,
          text: `using legacy gatewayName format ${JSON.stringify(name)}; prefer the <namespace>/<name> format: ${JSON.stringify(`${second}/${first}`)}`,
        });
      }
      const fqdn = fqdnProblem(name);
      if (fqdn) problems.push({ index, text: fqdn });
      return problems;
    }
    const [namespace, gateway] = [name.slice(0, slash), name.slice(slash + 1)];
    if (namespace === '' || gateway === '')
      problems.push({ index, text: 'config namespace and gateway name cannot be empty' });
    if (!isDnsLabel(namespace))
      problems.push({ index, text: `invalid value for namespace: ${JSON.stringify(namespace)}` });
    if (!isDnsLabel(gateway) && !gatewaySemantics)
      problems.push({ index, text: `invalid value for gateway name: ${JSON.stringify(gateway)}` });
  }
  return problems;
}

function fqdnProblem(name: string): string | undefined {
  if (name.length > 255) return `domain name ${JSON.stringify(name)} too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  const labels = name.split('.');
  const top = labels[labels.length - 1];
  if (/^[+-]?\d+$/.test(top))
    return `domain name ${JSON.stringify(name)} invalid (top level domain ${JSON.stringify(top)} cannot be all-numeric)`;
  const bad = labels.find((label, i) => !(i === labels.length - 1 && label === '') && !isDnsLabel(label));
  return bad === undefined
    ? undefined
    : `domain name ${JSON.stringify(name)} invalid (label ${JSON.stringify(bad)} invalid)`;
}
