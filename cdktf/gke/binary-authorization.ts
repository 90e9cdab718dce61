import { BinaryAuthorizationPolicy } from '@cdktf/provider-google/lib/binary-authorization-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export interface BinaryAuthorizationProps {
  /**
   * Image name patterns admitted (`registry/path/*`: `*` within one path segment, a trailing `**` at any depth).
   * Every other image outside GKE's system images is blocked.
   */
  readonly admittedImages: readonly string[];
  /**
   * Resources that must exist first (the Binary Authorization API).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The project's Binary Authorization policy, which clusters with `PROJECT_SINGLETON_POLICY_ENFORCE` enforce: GKE's
 * own system images through Google's global policy, the admitted patterns, and nothing else (ALWAYS_DENY, blocked
 * and audit-logged). A project has exactly one such policy.
 */
export class BinaryAuthorization extends Construct {
  public readonly policy: BinaryAuthorizationPolicy;

  constructor(scope: Construct, id: string, props: BinaryAuthorizationProps) {
    super(scope, id);
    if (props.admittedImages.length === 0) {
      throw new Error('BinaryAuthorization needs at least one admitted image pattern; with none no workload could run');
    }
    for (const pattern of props.admittedImages) {
      if (/[\s@]|:\/\//.test(pattern)) {
        throw new Error(
          `admitted image pattern ${JSON.stringify(pattern)} must be registry/path, optionally ending in * or **`,
        );
      }
    }
    this.policy = new BinaryAuthorizationPolicy(this, 'Policy', {
      description: 'hello-istio: the configured image hubs and GKE system images; everything else is blocked.',
      globalPolicyEvaluationMode: 'ENABLE',
      admissionWhitelistPatterns: [...new Set(props.admittedImages)].sort().map((namePattern) => ({ namePattern })),
      defaultAdmissionRule: { evaluationMode: 'ALWAYS_DENY', enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG' },
      dependsOn: props.dependsOn,
    });
  }
}
