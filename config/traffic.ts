import { z } from 'zod';
import { BOOKINFO_SERVICES, type BookinfoService } from './bookinfo';
import { resolveTrafficPreset, TRAFFIC_PRESET_NAMES, type TrafficPresetName } from './traffic-presets';
import { httpRouteSchema, trafficPolicySchema } from './routes';
import { INGRESS_MODES } from './gateway-api';

export * from './routes';

/**
 * Traffic management for Bookinfo: which upstream scenario (preset) runs, the tutorial's gateway, the traffic policy of
 * every DestinationRule, and routes of our own.
 *
 * The shapes of routes and policies are in routes.ts.
 */

/** A host a Gateway serves: `*`, a DNS name, or a DNS name under a leading `*.` wildcard. */
const GATEWAY_HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;
/** A Kubernetes Secret name (DNS subdomain). */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const trafficSchema = z
  .object({
    /**
     * The upstream Bookinfo scenario whose routes and policies run (see traffic-presets.ts and the README).
     * @default 'all-v1'
     */
    preset: z
      .enum(TRAFFIC_PRESET_NAMES, {
        error: `must be a traffic preset: ${TRAFFIC_PRESET_NAMES.join(', ')}`,
      })
      .default('all-v1'),
    /**
     * How requests from outside reach Bookinfo: `istio`, the tutorial's Istio Gateway and VirtualService on the ingress
     * gateway the mesh stack installs; or `gateway-api`, a Kubernetes Gateway (class `istio`, whose gateway Istio
     * deploys itself) and HTTPRoutes, as Istio's Getting Started does it today (see the README).
     * @default 'istio'
     */
    ingress: z.enum(INGRESS_MODES, { error: `must be one of ${INGRESS_MODES.join(', ')}` }).default('istio'),
    /** The tutorial's `bookinfo-gateway` on the control plane's ingress gateway. */
    gateway: z
      .object({
        /**
         * Hosts the Gateway serves and the `bookinfo` VirtualService answers for.
         * @default ['*'] (any host, as in the tutorial)
         */
        hosts: z
          .array(z.string().regex(GATEWAY_HOST, { error: 'must be "*", a DNS name, or a DNS name after "*."' }))
          .min(1, { error: 'needs at least one host' })
          .default(['*']),
        /**
         * With `ingress: 'gateway-api'`: the address the Gateway asks for (`spec.addresses`), the reserved static IP
         * that the gke stack outputs as `gateway_ip`. Istio gives it to the LoadBalancer Service it runs.
         * @default - none: the Service gets an ephemeral address
         */
        address: z.ipv4({ error: "must be an IPv4 address, such as the gke stack's gateway_ip output" }).optional(),
        /**
         * Serve HTTPS with the certificate in this Secret (a `kubernetes.io/tls` Secret in the ingress gateway's
         * namespace) and redirect HTTP to HTTPS.
         * @default - HTTP only
         */
        https: z
          .object({
            credentialName: z
              .string()
              .max(253)
              .regex(SECRET_NAME, { error: 'must be the name of a Secret (a DNS subdomain)' }),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /**
     * Traffic policy of every service's DestinationRule; a preset's policy for a service (the circuit breaker's)
     * overrides it field by field.
     * @default {} (Istio's defaults)
     */
    policy: trafficPolicySchema.default({}),
    /**
     * Routes of our own, by service (Bookinfo's or one of `services`, not a database), replacing the preset's routes
     * of that service. Every subset they name must be a deployed version of it.
     * @default {} (the preset's routes)
     */
    routes: z.record(z.string(), z.array(httpRouteSchema)).default({}),
  })
  .strict();

export type TrafficConfig = z.output<typeof trafficSchema>;

/**
 * Bookinfo versions with the versions a preset deploys appended, so that its routes have subsets to go to
 * (`details-v2` deploys details v2). The configured versions keep their order.
 */
export function withPresetVersions<V extends Readonly<Record<BookinfoService, readonly string[]>>>(
  versions: V,
  preset: TrafficPresetName,
): V {
  const deploys = resolveTrafficPreset(preset).deploys;
  const result: Record<string, readonly string[]> = { ...versions };
  for (const service of BOOKINFO_SERVICES) {
    const missing = (deploys[service] ?? []).filter((v) => !versions[service].includes(v));
    if (missing.length > 0) result[service] = [...versions[service], ...missing];
  }
  return result as V;
}
