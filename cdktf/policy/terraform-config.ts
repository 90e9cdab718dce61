/** A synthesized stack (`cdk.tf.json`), as far as the policy reads it. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
}

/** A Terraform block or resource body: attributes and nested blocks, as JSON. */
export type Block = Readonly<Record<string, unknown>>;

/** One resource of one stack. */
export interface PolicyResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly config: Block;
}

/** A stack's resources, for checks that look across resources (a cluster and its node pools). */
export interface StackResources {
  readonly id: string;
  readonly resources: readonly PolicyResource[];
}

/** What a check concluded about one resource. `unknown` means the check cannot decide (Checkov's UNKNOWN). */
export type Verdict = 'passed' | 'failed' | 'unknown';

/** A published policy check, reimplemented over synthesized Terraform JSON. */
export interface PolicyCheck {
  /** The id the scanner prints, such as CKV_GCP_13 or AVD-GCP-0053. */
  readonly id: string;
  /** The scanner's title of the check. */
  readonly title: string;
  /** The upstream file that defines the check's semantics. */
  readonly source: string;
  /** Terraform resource types the check looks at. */
  readonly resourceTypes: readonly string[];
  evaluate(resource: PolicyResource, stack: StackResources): Verdict;
}

/** Every resource of a synthesized stack. */
export function stackResources(id: string, json: TerraformJson): StackResources {
  const resources: PolicyResource[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) resources.push({ stack: id, type, name, config });
  }
  return { id, resources };
}

/** `stack/type.name`, how a result names its resource. */
export function addressOf(resource: PolicyResource): string {
  return `${resource.stack}/${resource.type}.${resource.name}`;
}

/**
 * A nested block. HCL scanners see every block as a list; synthesized JSON writes single blocks as objects and
 * repeated ones as arrays: either way this is the first one.
 */
export function block(parent: Block | undefined, key: string): Block | undefined {
  const value = parent?.[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' ? (first as Block) : undefined;
}

/** Every block under `key` (a repeated block such as `cidr_blocks`). */
export function blocks(parent: Block | undefined, key: string): Block[] {
  const value = parent?.[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((b): b is Block => b !== null && typeof b === 'object');
}

/** Whether an attribute is set (present and not null). */
export function isSet(parent: Block | undefined, key: string): boolean {
  return parent?.[key] !== undefined && parent[key] !== null;
}

/** An attribute read as a boolean, as HCL reads `true` and `"true"` alike; undefined when absent or not boolean. */
export function bool(parent: Block | undefined, key: string): boolean | undefined {
  const value = parent?.[key];
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** An attribute read as a string; undefined when absent. */
export function str(parent: Block | undefined, key: string): string | undefined {
  const value = parent?.[key];
  return typeof value === 'string' ? value : undefined;
}

export const verdict = (passed: boolean): Verdict => (passed ? 'passed' : 'failed');
