// cdktf checks the Terraform binary's version for every construct that needs a recent one (each `terraform_data`
// resource, as our plan preconditions are, adds a check): each check spawns a shell and `terraform version`, about
// 30 ms, several times per synth, always with the same answer. Importing this module makes a check with the same
// command, constraint and hint run once per process, like cdktf/token-stack-traces.ts patching what cdktf calls.

interface BinaryVersionCheck {
  readonly binary: string;
  readonly versionConstraint: string;
  readonly versionCommand: string;
  readonly hint?: string;
  validate(): string[];
}

const { ValidateBinaryVersion } = require('cdktf/lib/validations/validate-binary-version') as {
  ValidateBinaryVersion: { prototype: BinaryVersionCheck };
};

const check = ValidateBinaryVersion.prototype.validate;
const results = new Map<string, readonly string[]>();

ValidateBinaryVersion.prototype.validate = function (this: BinaryVersionCheck): string[] {
  const key = JSON.stringify([this.binary, this.versionCommand, this.versionConstraint, this.hint]);
  let errors = results.get(key);
  if (errors === undefined) results.set(key, (errors = check.call(this)));
  return [...errors];
};
