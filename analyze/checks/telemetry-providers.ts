import { arr, rec } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const INVALID_TELEMETRY_PROVIDER: MessageType = messageType('IST0157');

/**
 * A Telemetry's access logging that names no provider is ignored when the mesh config has no default access-log
 * provider (istioctl's telemetry.ProviderAnalyzer); a disabled entry is fine.
 */
export const telemetryProviders: Check = {
  description: 'Telemetry access logging names a provider, or the mesh config has a default one',
  messages: [INVALID_TELEMETRY_PROVIDER],
  run(mesh, report) {
    if (arr(rec(mesh.meshConfig.defaultProviders).accessLogging).length > 0) return;
    for (const object of mesh.index.ofKind('Telemetry')) {
      for (const logging of arr(rec(object.manifest.spec).accessLogging)) {
        if (rec(logging).disabled === true || arr(rec(logging).providers).length > 0) continue;
        report(
          INVALID_TELEMETRY_PROVIDER,
          object,
          formatMessage(INVALID_TELEMETRY_PROVIDER, object.ref.name, object.ref.namespace ?? ''),
        );
      }
    }
  },
};
