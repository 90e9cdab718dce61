import { arr, num, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const NO_CA_DESTINATION_LEVEL: MessageType = messageType('IST0128');
export const NO_CA_PORT_LEVEL: MessageType = messageType('IST0129');

const ORIGINATES_TLS = new Set(['SIMPLE', 'MUTUAL']);

/**
 * A DestinationRule that originates TLS (SIMPLE or MUTUAL) must say how to verify the server's certificate:
 * `caCertificates`, or a `credentialName` on a rule scoped by `workloadSelector` (istioctl's
 * destinationrule.CaCertificateAnalyzer), for the whole rule (IST0128) and per port (IST0129).
 */
export const destinationRuleCaCertificates: Check = {
  description: 'DestinationRules that originate TLS verify the server certificate',
  messages: [NO_CA_DESTINATION_LEVEL, NO_CA_PORT_LEVEL],
  run(mesh, report) {
    for (const object of mesh.index.ofKind('DestinationRule')) {
      const spec = rec(object.manifest.spec);
      const namespace = object.ref.namespace ?? '';
      const name = `${namespace}/${object.ref.name}`;
      const host = str(spec.host) ?? '';
      const scoped = spec.workloadSelector !== undefined && spec.workloadSelector !== null;
      const unverified = (tls: Record<string, unknown>) =>
        ORIGINATES_TLS.has(str(tls.mode) ?? '') && !str(tls.caCertificates) && !(str(tls.credentialName) && scoped);
      const policy = rec(spec.trafficPolicy);
      const tls = rec(policy.tls);
      if (unverified(tls)) {
        report(
          NO_CA_DESTINATION_LEVEL,
          object,
          formatMessage(NO_CA_DESTINATION_LEVEL, name, namespace, tls.mode, host),
          ['spec', 'trafficPolicy', 'tls'],
        );
      }
      arr(policy.portLevelSettings).forEach((raw, i) => {
        const setting = rec(raw);
        const portTls = rec(setting.tls);
        if (!unverified(portTls)) return;
        const port = num(rec(setting.port).number);
        report(
          NO_CA_PORT_LEVEL,
          object,
          formatMessage(
            NO_CA_PORT_LEVEL,
            name,
            namespace,
            portTls.mode,
            host,
            port === undefined ? '' : `number:${port}`,
          ),
          ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls'],
        );
      });
    }
  },
};
