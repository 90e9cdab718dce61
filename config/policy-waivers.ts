import { z } from 'zod';

/**
 * A published policy check (Checkov or Trivy) that an environment deliberately does not meet, and why.
 * The policy test and `npm run synth` read these; a waiver that names no check this project runs is an error.
 */
export const policyWaiverSchema = z
  .object({
    /** The check's id as its scanner prints it: `CKV_GCP_12`, `CKV2_GCP_1`, `AVD-GCP-0053`. */
    id: z.string().regex(/^(CKV2?_GCP_\d+|AVD-GCP-\d{4})$/, {
      error: 'must be a Checkov (CKV_GCP_n, CKV2_GCP_n) or Trivy (AVD-GCP-nnnn) check id',
    }),
    /** Why the check does not apply, for the reviewer who reads the waiver. */
    reason: z.string().min(20, { error: 'must say why the check does not apply (20 characters or more)' }),
  })
  .strict();

export type PolicyWaiver = z.output<typeof policyWaiverSchema>;

/** The checks the default cluster deliberately does not meet. */
export const DEFAULT_POLICY_WAIVERS: readonly PolicyWaiver[] = [
  {
    id: 'CKV_GCP_12',
    reason:
      'NetworkPolicy is enforced by GKE Dataplane V2 (datapath_provider = ADVANCED_DATAPATH). Checkov only looks ' +
      'for network_policy.enabled = true (Calico), which GKE rejects on Dataplane V2 clusters; Trivy AVD-GCP-0056 ' +
      'accepts Dataplane V2 and passes.',
  },
  {
    id: 'CKV_GCP_65',
    reason:
      'Google Groups for RBAC needs a Google Workspace or Cloud Identity domain with a gke-security-groups group, ' +
      'which a tutorial project does not have. Set cluster.rbacSecurityGroup (and drop this waiver) where it exists.',
  },
];

export const policySchema = z
  .object({
    /**
     * Checks this environment does not meet, each with its reason.
     * @default DEFAULT_POLICY_WAIVERS
     */
    waivers: z
      .array(policyWaiverSchema)
      .refine((waivers) => new Set(waivers.map((w) => w.id)).size === waivers.length, {
        error: 'waives a check twice',
      })
      .default(() => DEFAULT_POLICY_WAIVERS.map((w) => ({ ...w }))),
  })
  .strict();

export type PolicyConfig = z.output<typeof policySchema>;
