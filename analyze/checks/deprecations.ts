import { arr, num, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const DEPRECATED: MessageType = messageType('IST0002');

/** Custom resource types Istio removed (the rbac.istio.io API, replaced by AuthorizationPolicy). */
const REMOVED_KINDS = new Set(['ClusterRbacConfig', 'RbacConfig', 'ServiceRole', 'ServiceRoleBinding']);

/**
 * Fields and resources Istio deprecated or ignores (istioctl's deprecation.FieldAnalyzer and
 * telemetry.LightstepAnalyzer): `fault.delay.percent` (use `percentage`), a Sidecar's
 * `outboundTrafficPolicy.egressProxy` (ignored), CRDs of the removed rbac.istio.io API, and tracing to a Lightstep
 * provider of the mesh config (use OpenTelemetry).
 */
export const deprecations: Check = {
  description: 'No deprecated or ignored fields, removed resource types or deprecated tracing providers',
  messages: [DEPRECATED],
  run(mesh, report) {
    for (const object of mesh.index.ofKind('VirtualService')) {
      arr(rec(object.manifest.spec).http).forEach((route, i) => {
        if ((num(rec(rec(rec(route).fault).delay).percent) ?? 0) > 0) {
          report(
            DEPRECATED,
            object,
            formatMessage(
              DEPRECATED,
              'HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage',
            ),
            ['spec', 'http', i, 'fault', 'delay', 'percent'],
          );
        }
      });
    }
    for (const object of mesh.index.ofKind('Sidecar')) {
      if (rec(rec(object.manifest.spec).outboundTrafficPolicy).egressProxy !== undefined) {
        report(DEPRECATED, object, formatMessage(DEPRECATED, 'OutboundTrafficPolicy.EgressProxy ignored'), [
          'spec',
          'outboundTrafficPolicy',
          'egressProxy',
        ]);
      }
    }
    for (const object of mesh.index.ofKind('CustomResourceDefinition')) {
      const spec = rec(object.manifest.spec);
      const kind = str(rec(spec.names).kind) ?? '';
      if (spec.group === 'rbac.istio.io' && REMOVED_KINDS.has(kind)) {
        report(DEPRECATED, object, formatMessage(DEPRECATED, `Custom resource type rbac.istio.io ${kind} is removed`));
      }
    }
    const lightstep = new Set(
      arr(mesh.meshConfig.extensionProviders).flatMap((p) =>
        rec(p).lightstep !== undefined ? (str(rec(p).name) ?? []) : [],
      ),
    );
    if (lightstep.size === 0) return;
    for (const object of mesh.index.ofKind('Telemetry')) {
      for (const tracing of arr(rec(object.manifest.spec).tracing)) {
        for (const provider of arr(rec(tracing).providers)) {
          const name = str(rec(provider).name);
          if (name && lightstep.has(name)) {
            report(
              DEPRECATED,
              object,
              formatMessage(
                DEPRECATED,
                `The Lightstep provider ${name} is deprecated, please migrate to OpenTelemetry provider.`,
              ),
            );
          }
        }
      }
    }
  },
};
