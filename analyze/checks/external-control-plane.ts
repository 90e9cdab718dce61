import { isIP } from 'node:net';
import { arr, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const INVALID_EXTERNAL_CONTROL_PLANE: MessageType = messageType('IST0163');
export const ADDRESS_IS_NOT_A_HOSTNAME: MessageType = messageType('IST0164');

/**
 * Istio's webhooks (`istiod-default-validator`, `istio-validator*`, `istio-sidecar-injector*`) must reach istiod: a
 * webhook with neither a service nor a URL, or a URL that does not parse, is IST0163; a URL to an IP address rather
 * than a host name is IST0164 (istioctl's externalcontrolplane.ExternalControlPlaneAnalyzer).
 */
export const externalControlPlane: Check = {
  description: "Istio's webhooks name a service or a URL that reaches the control plane by host name",
  messages: [INVALID_EXTERNAL_CONTROL_PLANE, ADDRESS_IS_NOT_A_HOSTNAME],
  run(mesh, report) {
    const configurations = [
      ...mesh.index
        .ofKind('ValidatingWebhookConfiguration')
        .filter((o) => o.ref.name === 'istiod-default-validator' || o.ref.name.startsWith('istio-validator')),
      ...mesh.index
        .ofKind('MutatingWebhookConfiguration')
        .filter((o) => o.ref.name.startsWith('istio-sidecar-injector')),
    ];
    for (const object of configurations) {
      arr(object.manifest.webhooks).forEach((raw, i) => {
        const hook = rec(raw);
        const name = str(hook.name) ?? '';
        const client = rec(hook.clientConfig);
        const url = str(client.url);
        const path = ['webhooks', i, 'clientConfig'];
        if (url === undefined) {
          if (client.service === undefined || client.service === null)
            report(
              INVALID_EXTERNAL_CONTROL_PLANE,
              object,
              formatMessage(INVALID_EXTERNAL_CONTROL_PLANE, '', name, 'is blank'),
              path,
            );
          return;
        }
        const host = hostnameOf(url);
        if (host === undefined)
          report(
            INVALID_EXTERNAL_CONTROL_PLANE,
            object,
            formatMessage(INVALID_EXTERNAL_CONTROL_PLANE, url, name, 'was provided in an invalid format'),
            path,
          );
        else if (isIP(host) !== 0)
          report(ADDRESS_IS_NOT_A_HOSTNAME, object, formatMessage(ADDRESS_IS_NOT_A_HOSTNAME, url, name), path);
      });
    }
  },
};

/** The host of a URL (IPv6 without its brackets); undefined when it does not parse (as Go's url.Parse refuses it). */
function hostnameOf(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f ]/.test(url) || /%(?![0-9a-fA-F]{2})/.test(url) || url.startsWith(':')) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return ''; // a relative reference: Go parses it, with no host
  }
}
