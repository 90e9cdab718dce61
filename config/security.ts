import { z } from 'zod';

export const MTLS_MODES = ['STRICT', 'PERMISSIVE'] as const;
export const MTLS_SCOPES = ['namespace', 'mesh'] as const;
export const DESTINATION_RULE_TLS = ['auto', 'istio-mutual'] as const;
export const AUTHORIZATION_MODES = ['call-graph', 'off'] as const;

/** Mutual TLS between workloads (the tutorial's `--istio-config=auth=MTLS_STRICT`) and who may call whom. */
export const securitySchema = z
  .object({
    mtls: z
      .object({
        /**
         * `STRICT`: workloads accept only mutual TLS; `PERMISSIVE`: plain text too (for a migration).
         * @default 'STRICT'
         */
        mode: z.enum(MTLS_MODES, { error: `must be one of ${MTLS_MODES.join(', ')}` }).default('STRICT'),
        /**
         * `namespace`: a PeerAuthentication in Bookinfo's namespace; `mesh`: one in the control plane's root namespace,
         * for every workload of the mesh (what the tutorial's cluster flag did).
         * @default 'namespace'
         */
        scope: z.enum(MTLS_SCOPES, { error: `must be one of ${MTLS_SCOPES.join(', ')}` }).default('namespace'),
        /**
         * Client side TLS in the DestinationRules: `auto` leaves it to istiod's auto mTLS (on by default since Istio 1.5,
         * in every control plane this project supports); `istio-mutual` writes `tls.mode: ISTIO_MUTUAL` into every
         * DestinationRule, as upstream's destination-rule-all-mtls.yaml does (needed when auto mTLS is turned off).
         * @default 'auto'
         */
        destinationRuleTls: z
          .enum(DESTINATION_RULE_TLS, { error: `must be one of ${DESTINATION_RULE_TLS.join(', ')}` })
          .default('auto'),
      })
      .strict()
      .prefault({}),
    /**
     * `call-graph`: deny every request in the namespace unless an edge of `callGraph` allows it; `off`: no
     * authorization policies.
     * @default 'call-graph'
     */
    authorization: z
      .enum(AUTHORIZATION_MODES, { error: `must be one of ${AUTHORIZATION_MODES.join(', ')}` })
      .default('call-graph'),
  })
  .strict();

export type SecurityConfig = z.output<typeof securitySchema>;
