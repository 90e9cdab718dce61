import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, DataResource, TerraformStack } from 'cdktf';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import { BinaryVersionChecks } from '../../pipeline/binary-version-once';

// the module object cdktf calls (an import would give a copy of it)
const childProcess: typeof import('node:child_process') = require('node:child_process');

function stackWithChecks(): TerraformStack {
  const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 'stack');
  new DataResource(stack, 'a', {});
  new DataResource(stack, 'b', {});
  return stack;
}

const terraformCheck = () => new ValidateBinaryVersion('terraform', '>=1.4', 'terraform version') as never;

test("cdktf's version checks go through this process's BinaryVersionChecks, one per construct", () => {
  const validate = vi.spyOn(BinaryVersionChecks.prototype, 'validate');
  try {
    try {
      stackWithChecks().runAllValidations();
    } catch {
      // whatever this machine's terraform answers: only the route counts here
    }
    expect(validate).toHaveBeenCalledTimes(2);
  } finally {
    validate.mockRestore();
  }
});

// The synth asks for the Terraform binary's version once, however many constructs need a recent one, and still
// reports what cdktf's check reports.
test('one `terraform version` per process for the same check, with the same verdict for each construct', () => {
  const execSync = vi.spyOn(childProcess, 'execSync').mockImplementation(() => Buffer.from('Terraform v1.3.0\n'));
  try {
    const checks = new BinaryVersionChecks(); // a process's, before its first check
    const [a, b] = [checks.validate(terraformCheck()), checks.validate(terraformCheck())];
    expect(a).toEqual([expect.stringContaining('version 1.3.0 is lower than the required version >=1.4')]);
    expect(b).toEqual(a);
    expect(execSync).toHaveBeenCalledTimes(1);
  } finally {
    execSync.mockRestore();
  }
});

// What the commands do: a passed check is remembered for the binary file on PATH, and asked again when it changes.
test('a passed check is remembered across processes while the binary on PATH is the same file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'binary-version-'));
  const binary = path.join(dir, 'bin', 'terraform');
  fs.mkdirSync(path.dirname(binary));
  fs.writeFileSync(binary, '#!/bin/sh\necho Terraform v1.11.4\n', { mode: 0o755 });
  const file = path.join(dir, 'binary-versions.json');
  const PATH = process.env.PATH;
  process.env.PATH = `${path.dirname(binary)}${path.delimiter}${PATH}`;
  // a BinaryVersionChecks of its own stands for a new process (this one's has checked already)
  const checkIn = (output: string) => {
    let calls = 0;
    const execSync = vi.spyOn(childProcess, 'execSync').mockImplementation(() => {
      calls += 1;
      return Buffer.from(output);
    });
    try {
      const errors = new BinaryVersionChecks(file).validate(terraformCheck());
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      execSync.mockRestore();
    }
    return calls;
  };
  try {
    expect(checkIn('Terraform v1.11.4\n')).toBe(1);
    expect(checkIn('Terraform v1.11.4\n')).toBe(0); // remembered
    fs.writeFileSync(binary, '#!/bin/sh\necho Terraform v1.3.0\n'); // another binary: asked again, and fails
    expect(() => checkIn('Terraform v1.3.0\n')).toThrow(/version 1\.3\.0 is lower than the required version/);
    expect(() => checkIn('Terraform v1.3.0\n')).toThrow(/version 1\.3\.0 is lower/); // a failure is not remembered
  } finally {
    process.env.PATH = PATH;
  }
});
