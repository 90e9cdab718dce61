import type { Labels } from '../kube/object';

/** Host names and label selectors as Istio reads them (istio.io/istio pkg/config/host and analyzers/util). */

export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** A short name (`reviews`) as the FQDN Istio reads it in a namespace; wildcards and dotted names stay as they are. */
export function toFqdn(host: string, namespace: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** The Service a `<name>.<namespace>.svc.cluster.local` host names. */
export function serviceOfFqdn(fqdn: string): { name: string; namespace: string } | undefined {
  const match = /^(.+)\.(.+)\.svc\.cluster\.local$/.exec(fqdn);
  return match ? { name: match[1], namespace: match[2] } : undefined;
}

/**
 * A host as Istio keys resources by it: the Service's namespace and name for a cluster FQDN, otherwise the host in
 * the namespace of the object naming it (istioctl's GetResourceNameFromHost).
 */
export function resourceKeyOfHost(host: string, namespace: string): string {
  const service = serviceOfFqdn(toFqdn(host, namespace));
  return service ? `${service.namespace}/${service.name}` : `${namespace}/${host}`;
}

/**
 * Whether two host names overlap, wildcards on either side (`*` matches everything, `*.foo.com` matches
 * `a.foo.com` and `*.a.foo.com`), as Istio's `host.Name.Matches`.
 */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) {
    const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
    return longer.endsWith(shorter.slice(1));
  }
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return false;
}

/** A selector as Kubernetes prints it: `app=reviews,version=v1`, keys sorted. */
export function selectorString(selector: Labels): string {
  return Object.keys(selector)
    .sort()
    .map((key) => `${key}=${selector[key]}`)
    .join(',');
}

/**
 * Whether a value matches one of Istio's string patterns: exact, `*`, `prefix*` or `*suffix`
 * (AuthorizationPolicy principals, namespaces, methods).
 */
export function matchesPattern(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}
