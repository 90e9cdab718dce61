import { Fn, Lazy, TerraformStack, TerraformVariable, Testing } from 'cdktf';

// jest's setupFiles load cdktf/token-stack-traces.ts, as cdktf/terraform-app.ts does for the commands.
test('creating cdktf tokens captures no stack trace', () => {
  const capture = jest.spyOn(Error, 'captureStackTrace');
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
  const stackTrace = jest.requireActual('cdktf/lib/tokens/private/stack-trace');
  const original = stackTrace.captureStackTrace;
  jest.isolateModules(() => {
    const fresh = require('cdktf/lib/tokens/private/stack-trace');
    expect(fresh.captureStackTrace()).not.toEqual([]);
  });
  expect(original()).toEqual([]);
});
