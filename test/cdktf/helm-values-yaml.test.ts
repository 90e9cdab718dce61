import { stringify } from 'yaml';
import { helmValuesYaml } from '../../cdktf/mesh/istio-release';

// Helm values are written by our YAML writer where it writes what the `yaml` package's stringify writes (with its
// defaults), and by `yaml` itself where that would fold a long line: either way, the bytes of `yaml`. The mesh
// stacks' own values are held to it in mesh-stack.test.ts and ambient-control-plane.test.ts.

test.each([
  ['plain values', { global: { hub: 'docker.io/istio', tag: '1.30.5' }, pilot: { env: { A: 'true' } } }],
  ['a long line, which `yaml` folds at 80 columns', { meshConfig: { note: 'word '.repeat(30).trim() } }],
  ['strings that read as other types', { a: 'true', b: '0x1F', c: '1e3', d: '', e: 'null', f: '- item' }],
  ['lists of objects and empty ones', { l: [{ name: 'x', v: [1, 2] }, {}], m: [], n: {} }],
  [
    'the same object twice, as an anchor',
    (() => {
      const shared = { k: 'v' };
      return { a: shared, b: shared };
    })(),
  ],
  ['undefined values, left out', { a: undefined, b: { c: undefined, d: 1 } }],
])('%s', (_, values) => {
  expect(helmValuesYaml(values)).toBe(stringify(values));
});
