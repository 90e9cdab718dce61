import { arr, labelsOf, rec, str, type Labels } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const DUPLICATE_CERTIFICATE: MessageType = messageType('IST0138');

/**
 * Two Gateways on the same gateway pods must not serve the same certificate (istioctl's gateway.CertificateAnalyzer):
 * clients that reuse an HTTP/2 connection for the other Gateway's hosts get 404s. The same certificate is the same
 * `credentialName`, or the same `serverCertificate` and `privateKey` files. A Gateway's selector picks the Gateways
 * whose selector has every one of its labels (an empty selector, every Gateway).
 */
export const gatewayCertificates: Check = {
  description: 'No two Gateways on the same pods serve the same certificate',
  messages: [DUPLICATE_CERTIFICATE],
  run(mesh, report) {
    const gateways = mesh.index.ofKind('Gateway', 'networking.istio.io').map((object) => {
      const spec = rec(object.manifest.spec);
      return {
        object,
        selector: labelsOf(spec.selector),
        tls: arr(spec.servers)
          .map((s) => rec(s).tls)
          .filter((t) => t !== undefined && t !== null)
          .map(rec),
      };
    });
    const fullName = (g: (typeof gateways)[number]) => `${g.object.ref.namespace ?? ''}/${g.object.ref.name}`;
    for (const current of gateways) {
      for (const other of gateways) {
        if (other === current || !selectorSubset(current.selector, other.selector)) continue;
        for (const a of current.tls) {
          for (const b of other.tls) {
            if (sameCertificate(a, b))
              report(
                DUPLICATE_CERTIFICATE,
                current.object,
                formatMessage(DUPLICATE_CERTIFICATE, [fullName(current), fullName(other)]),
                ['metadata', 'name'],
              );
          }
        }
      }
    }
  },
};

function selectorSubset(x: Labels, y: Labels): boolean {
  return Object.entries(x).every(([key, value]) => y[key] === value);
}

function sameCertificate(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const [ca, cb] = [str(a.credentialName) ?? '', str(b.credentialName) ?? ''];
  if (ca && cb) return ca === cb;
  if (ca || cb) return false;
  const [sa, sb, ka, kb] = [a.serverCertificate, b.serverCertificate, a.privateKey, b.privateKey].map(
    (v) => str(v) ?? '',
  );
  return sa !== '' && sa === sb && ka !== '' && ka === kb;
}
