import { createRequire } from 'node:module';
import { Fn, Lazy, TerraformStack, TerraformVariable, Testing } from 'cdktf';

// The test setup loads cdktf/token-stack-traces.ts, as cdktf/terraform-app.ts does for the commands.
test('creating cdktf tokens captures no stack trace', () => {
  const capture = vi.spyOn(Error, 'captureStackTrace');
  try {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const variable = new TerraformVariable(stack, 'name', { type: 'string' });
    const tokens = [
      Lazy.stringValue({ produce: () => 'x' }),
      Fn.join('-', [variable.stringValue, 'suffix']),
      Fn.lower(variable.stringValue),
    ];
    expect(tokens.every((token) => token.includes('${'))).toBe(true);
    expect(capture).not.toHaveBeenCalled();
  } finally {
    capture.mockRestore();
  }
});

test('without the switch, cdktf would capture one per token (so the test above can fail)', () => {
  // cdktf is loaded by Node's own require, not by vitest: a fresh copy comes from Node's module cache
  const load = createRequire(__filename);
  const file = load.resolve('cdktf/lib/tokens/private/stack-trace');
  const patched = load.cache[file];
  delete load.cache[file];
  try {
    const fresh = load(file);
    expect(fresh.captureStackTrace()).not.toEqual([]);
  } finally {
    load.cache[file] = patched;
  }
  expect(load(file).captureStackTrace()).toEqual([]);
});
