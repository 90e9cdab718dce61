import * as fs from 'node:fs';

/** A helm_release of a synthesized stack, as the readers of dist/ (precheck, conformance) need it. */
export interface HelmRelease {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  /** The values files, as YAML text. */
  readonly values?: readonly string[];
  readonly set?: readonly { readonly name: string; readonly value: string }[];
}

/** The helm_release resources of a stack's Terraform JSON (`dist/cdktf/stacks/<stack>/cdk.tf.json`). */
export function helmReleases(stackFile: string): HelmRelease[] {
  const json = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as {
    resource?: { helm_release?: Record<string, HelmRelease> };
  };
  return Object.values(json.resource?.helm_release ?? {});
}
