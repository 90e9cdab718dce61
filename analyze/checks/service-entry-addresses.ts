import { arr, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const ADDRESSES_REQUIRED: MessageType = messageType('IST0134');

/**
 * A ServiceEntry with TCP ports (or ports without a protocol) needs addresses to route by, unless Istio allocates
 * them (an address in its status, or DNS capture with auto-allocation in the mesh config's proxy metadata)
 * (istioctl's serviceentry.ProtocolAddressesAnalyzer).
 */
export const serviceEntryAddresses: Check = {
  description: 'ServiceEntries with TCP ports have addresses (or Istio allocates them)',
  messages: [ADDRESSES_REQUIRED],
  run(mesh, report) {
    const metadata = rec(rec(mesh.meshConfig.defaultConfig).proxyMetadata);
    const autoAllocated =
      metadata.ISTIO_META_DNS_CAPTURE === 'true' &&
      (metadata.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' || metadata.PILOT_ENABLE_IP_AUTOALLOCATE === 'true');
    if (autoAllocated) return;
    for (const object of mesh.index.ofKind('ServiceEntry')) {
      const spec = rec(object.manifest.spec);
      if (arr(spec.addresses).length > 0 || arr(rec(object.manifest.status).addresses).length > 0) continue;
      arr(spec.ports).forEach((port, i) => {
        const protocol = str(rec(port).protocol) ?? '';
        if (protocol === '' || protocol.toUpperCase() === 'TCP')
          report(ADDRESSES_REQUIRED, object, formatMessage(ADDRESSES_REQUIRED), ['spec', 'ports', i]);
      });
    }
  },
};
