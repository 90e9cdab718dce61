import { App, DataResource, TerraformStack } from 'cdktf';
import '../../pipeline/binary-version-once';

// the module object cdktf calls (an import would give a copy of it)
const childProcess: typeof import('node:child_process') = require('node:child_process');

// The synth asks for the Terraform binary's version once, however many constructs need a recent one, and still
// reports what cdktf's check reports.
test('one `terraform version` per process for the same check, with the same verdict for each construct', () => {
  const execSync = jest.spyOn(childProcess, 'execSync').mockImplementation(() => Buffer.from('Terraform v1.3.0\n'));
  try {
    const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 'stack');
    new DataResource(stack, 'a', {});
    new DataResource(stack, 'b', {});
    expect(() => stack.runAllValidations()).toThrow(
      /a.*version 1\.3\.0 is lower than the required version >=1\.4[\s\S]*b.*version 1\.3\.0 is lower/,
    );
    expect(execSync).toHaveBeenCalledTimes(1);
  } finally {
    execSync.mockRestore();
  }
});
