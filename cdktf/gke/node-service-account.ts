import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export interface NodeServiceAccountProps {
  /** The GCP project the account and its role binding live in. */
  readonly projectId: string;
  /** The cluster name; the account id is derived from it. */
  readonly clusterName: string;
  /** Resources that must exist first (the IAM API). */
  readonly dependsOn?: ITerraformDependable[];
}

/** GKE's least-privilege role for node service accounts: write logs and metrics, read what nodes need. */
export const NODE_ROLE = 'roles/container.defaultNodeServiceAccount';

/**
 * A dedicated service account for the nodes, with only GKE's node role, instead of the Compute Engine default
 * account (which holds Editor on the project). Workloads get their own identities through Workload Identity.
 */
export class NodeServiceAccount extends Construct {
  public readonly email: string;
  /** The account's role on the project. */
  public readonly roleBinding: ProjectIamMember;

  constructor(scope: Construct, id: string, props: NodeServiceAccountProps) {
    super(scope, id);
    const account = new ServiceAccount(this, 'Account', {
      accountId: nodeAccountId(props.clusterName),
      displayName: `GKE nodes of ${props.clusterName}`,
      dependsOn: props.dependsOn,
    });
    this.roleBinding = new ProjectIamMember(this, 'NodeRole', {
      project: props.projectId,
      role: NODE_ROLE,
      member: account.member,
    });
    this.email = account.email;
  }
}

/** `<cluster>-nodes`, shortened to the 30 characters a service account id may have. */
function nodeAccountId(clusterName: string): string {
  return `${clusterName.slice(0, 24).replace(/-+$/, '')}-nodes`;
}
