import { selects, type Labels } from '../../kube/object';
import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { hostsOverlap, selectorString } from '../hosts';
import type { GatewayModel } from '../mesh';

export const CONFLICTING_GATEWAYS: MessageType = messageType('IST0145');

/**
 * Two Gateways with the same selector must not serve overlapping hosts on the same port (istioctl's
 * ConflictingGatewayAnalyzer): the gateway proxy would get two listeners for one host and port.
 * Hosts are compared without their `namespace/` prefix. As istioctl does, Gateways whose selectors differ but whose
 * selector text contains the other's (`istio=ingressgateway` in `app=x,istio=ingressgateway`) are compared too when
 * some pod has both selectors' labels.
 */
export const conflictingGateways: Check = {
  description: 'No two Gateways with the same selector serve overlapping hosts on the same port',
  messages: [CONFLICTING_GATEWAYS],
  run(mesh, report) {
    // Per selector and port: exact hosts in a map, wildcard hosts in a list, so that a lookup is not a scan.
    const buckets = new Map<
      string,
      { exact: Map<string, Set<GatewayModel>>; wildcard: { host: string; gateway: GatewayModel }[] }
    >();
    const keyOf = (gateway: GatewayModel, port: number) => `${selectorString(gateway.selector)}~${port}`;
    for (const gateway of mesh.gateways.values()) {
      for (const server of gateway.servers) {
        if (server.port === undefined) continue;
        const key = keyOf(gateway, server.port);
        let bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = { exact: new Map(), wildcard: [] }));
        for (const host of server.hosts.map(withoutNamespace)) {
          if (host.startsWith('*')) bucket.wildcard.push({ host, gateway });
          else if (bucket.exact.has(host)) bucket.exact.get(host)!.add(gateway);
          else bucket.exact.set(host, new Set([gateway]));
        }
      }
    }
    // Gateways whose selectors differ but one's text contains the other's, and some pod has both, share pods too
    const selectors = new Map([...mesh.gateways.values()].map((g) => [selectorString(g.selector), g.selector]));
    const relatedCache = new Map<string, string[]>();
    const related = (selector: Labels): string[] => {
      const own = selectorString(selector);
      let list = relatedCache.get(own);
      if (!list) {
        list = [
          own,
          ...[...selectors]
            .filter(
              ([other, labels]) =>
                other !== own &&
                (other.includes(own) || own.includes(other)) &&
                mesh.selectWorkloads(undefined, selector).some((pod) => selects(labels, pod.labels)),
            )
            .map(([other]) => other),
        ];
        relatedCache.set(own, list);
      }
      return list;
    };
    for (const gateway of mesh.gateways.values()) {
      for (const server of gateway.servers) {
        if (server.port === undefined) continue;
        const conflicts = new Set<GatewayModel>();
        for (const selector of related(gateway.selector)) {
          const bucket = buckets.get(`${selector}~${server.port}`);
          if (!bucket) continue;
          for (const host of server.hosts.map(withoutNamespace)) {
            for (const other of bucket.wildcard) if (hostsOverlap(host, other.host)) conflicts.add(other.gateway);
            if (host.startsWith('*')) {
              for (const [exact, owners] of bucket.exact)
                if (hostsOverlap(host, exact)) owners.forEach((o) => conflicts.add(o));
            } else {
              bucket.exact.get(host)?.forEach((o) => conflicts.add(o));
            }
          }
        }
        conflicts.delete(gateway);
        if (conflicts.size === 0) continue;
        const names = [...conflicts]
          .map((g) => `${g.namespace}/${g.name}`)
          .sort()
          .join(',');
        report(
          CONFLICTING_GATEWAYS,
          gateway.object,
          `Conflict with gateways ${names} (workload selector ${selectorString(gateway.selector)}, port ${server.port}, hosts ${server.hosts.join(',')}).`,
          server.path,
        );
      }
    }
  },
};

const withoutNamespace = (host: string) => host.slice(host.indexOf('/') + 1);
