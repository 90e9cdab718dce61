import { X509Certificate } from 'node:crypto';
import { arr, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { REFERENCED_RESOURCE_NOT_FOUND } from './virtual-service-references';

export const INVALID_GATEWAY_CREDENTIAL: MessageType = messageType('IST0161');

/**
 * A Gateway server's `credentialName` is a Secret in the namespace of the gateway pods its selector picks
 * (istioctl's gateway.SecretAnalyzer): missing, it is IST0101; without a certificate and key (`cert`/`key` or
 * `tls.crt`/`tls.key`), or with a certificate that is not PEM or is expired or not yet valid, IST0161. Gateways
 * whose selector picks no pods are left to the gateway port check (IST0101 on the selector). The Secrets of a
 * control plane's gateway that is not in the input (the synth's, whose certificates are never committed) are taken
 * to be outside it as well, unless the input has Secrets in that namespace.
 */
export const gatewayCredentials: Check = {
  description: "Gateway credentials are Secrets with a valid certificate in the gateway pods' namespace",
  messages: [REFERENCED_RESOURCE_NOT_FOUND, INVALID_GATEWAY_CREDENTIAL],
  run(mesh, report) {
    for (const gateway of mesh.gateways.values()) {
      const pod = mesh.selectWorkloads(undefined, gateway.selector)[0];
      if (!pod) continue;
      // a control plane's gateway outside the input keeps its Secrets outside it too, unless the input has some
      if (!pod.object && !mesh.index.ofKind('Secret').some((s) => s.ref.namespace === pod.namespace)) continue;
      arr(rec(gateway.object.manifest.spec).servers).forEach((server, i) => {
        const name = str(rec(rec(server).tls).credentialName);
        if (!name) return;
        const [namespace, secretName] = name.includes('/') ? name.split('/', 2) : [pod.namespace, name];
        const secret = mesh.index.get('Secret', namespace, secretName);
        const path = ['spec', 'servers', i, 'tls', 'credentialName'];
        if (!secret) {
          report(
            REFERENCED_RESOURCE_NOT_FOUND,
            gateway.object,
            formatMessage(REFERENCED_RESOURCE_NOT_FOUND, 'credentialName', name),
            path,
          );
        } else if (!validCertificate(secret.manifest)) {
          report(
            INVALID_GATEWAY_CREDENTIAL,
            gateway.object,
            formatMessage(INVALID_GATEWAY_CREDENTIAL, gateway.name, pod.namespace),
            path,
          );
        }
      });
    }
  },
};

/** The Secret holds a certificate and key, and the certificate parses and is valid now (pilot's ExtractCertInfo, ValidateCertificate). */
function validCertificate(secret: Record<string, unknown>): boolean {
  const data = rec(secret.data);
  const value = (key: string) => {
    const raw = str(data[key]);
    return raw ? Buffer.from(raw, 'base64').toString('utf8') : '';
  };
  const cert =
    value('cert') && value('key') ? value('cert') : value('tls.crt') && value('tls.key') ? value('tls.crt') : '';
  if (!cert) return false;
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(cert);
  if (!pem) return false;
  try {
    const parsed = new X509Certificate(pem[0]);
    const now = Date.now();
    return now >= Date.parse(parsed.validFrom) && now <= Date.parse(parsed.validTo);
  } catch {
    return false;
  }
}
