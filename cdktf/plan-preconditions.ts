import { DataResource, TerraformLocal, TerraformResource, dependable, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

const FACTS_LOCAL = 'plan_facts';

/** One thing that must hold before anything is created: an HCL condition over `facts`, and what to do if it fails. */
export interface PlanCheck {
  /** The condition, given the reference to the facts local (for example `f => `${f}.private_endpoint``). */
  readonly condition: (facts: string) => string;
  /** Terraform's error when the condition is false: what is wrong and the fix. */
  readonly errorMessage: string;
}

export interface PlanPreconditionsProps {
  /** What the checks read, written into the stack as a local (so that each condition refers to something). */
  readonly facts: Readonly<Record<string, unknown>>;
  /** The checks; each becomes a `lifecycle.precondition` of one `terraform_data` resource. */
  readonly checks: readonly PlanCheck[];
}

/**
 * Preconditions that fail `terraform plan` (and so `cdktf deploy`) before anything exists: a `terraform_data`
 * resource whose `lifecycle.precondition`s hold the checks, and on which every other resource of the stack depends
 * (`dependOnChecks`). Terraform evaluates a precondition whose inputs are known during plan, and a failed one fails
 * the whole plan, so nothing is created, not even what does not depend on it.
 */
export class PlanPreconditions extends Construct {
  public readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: PlanPreconditionsProps) {
    super(scope, id);
    if (props.checks.length === 0) throw new Error('PlanPreconditions needs at least one check');
    // A fixed name, so that the conditions, written as HCL, can name it (one PlanPreconditions per stack).
    new TerraformLocal(this, 'Facts', props.facts).overrideLogicalId(FACTS_LOCAL);
    const reference = `local.${FACTS_LOCAL}`;
    this.resource = new DataResource(this, 'Checks', {
      lifecycle: {
        precondition: props.checks.map((check) => ({
          condition: `\${${check.condition(reference)}}`,
          errorMessage: check.errorMessage,
        })),
      },
    });
  }

  /** Makes every other resource of `stack` depend on the checks. Call it once the stack is complete. */
  dependOnChecks(stack: TerraformStack): void {
    const checks = dependable(this.resource);
    for (const construct of stack.node.findAll()) {
      if (!(construct instanceof TerraformResource) || construct === this.resource) continue;
      construct.dependsOn = [...new Set([...(construct.dependsOn ?? []), checks])];
    }
  }
}
