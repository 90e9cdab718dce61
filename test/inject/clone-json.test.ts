import { cloneJson } from '../../inject/clone-json';

// cloneJson stands in for structuredClone on the injector's inputs: it must copy as structuredClone copies.
test('a deep copy: equal, sharing nothing with the original', () => {
  const value = { a: [1, { b: 'x' }, null, -0], c: { d: undefined, e: true } };
  const copy = cloneJson(value);
  expect(copy).toEqual(structuredClone(value));
  expect(Object.is(copy.a[3], -0)).toBe(true);
  expect('d' in copy.c).toBe(true);
  expect(copy.a).not.toBe(value.a);
  expect(copy.a[1]).not.toBe(value.a[1]);
  (copy.a[1] as { b: string }).b = 'changed';
  expect(value.a[1]).toEqual({ b: 'x' });
});

test('an object met twice (a YAML alias) is one object met twice in the copy, as structuredClone keeps it', () => {
  const env = [{ name: 'A', value: '1' }];
  const value = { containers: [{ env }, { env }] };
  const copy = cloneJson(value);
  expect(copy.containers[0].env).toBe(copy.containers[1].env);
  expect(copy.containers[0].env).not.toBe(env);
  const cyclic: { self?: unknown } = {};
  cyclic.self = cyclic;
  const cycle = cloneJson(cyclic);
  expect(cycle.self).toBe(cycle);
});

test('an own __proto__ key stays an own key; other than plain data is copied by structuredClone', () => {
  const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
  const copy = cloneJson(value);
  expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const when = new Date(0);
  const copied = cloneJson({ when });
  expect(copied.when).toBeInstanceOf(Date);
  expect(copied.when).not.toBe(when);
  expect(copied.when.getTime()).toBe(0);
});
