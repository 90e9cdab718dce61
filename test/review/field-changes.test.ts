import { fieldChanges, formatValue } from '../../review/field-changes';

test('changed, added and removed fields with their paths and values', () => {
  expect(fieldChanges({ a: { b: 1, c: 2 }, d: [1, 2] }, { a: { b: 5, e: 'x' }, d: [1, 2, 3] })).toEqual([
    { status: 'changed', path: 'a.b', before: 1, after: 5 },
    { status: 'removed', path: 'a.c', before: 2 },
    { status: 'added', path: 'a.e', after: 'x' },
    { status: 'added', path: 'd[2]', after: 3 },
  ]);
});

test('keys that are not identifiers are quoted', () => {
  expect(
    fieldChanges(
      { metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '1' } } },
      { metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '2' } } },
    ),
  ).toEqual([
    { status: 'changed', path: 'metadata.annotations["argocd.argoproj.io/sync-wave"]', before: '1', after: '2' },
  ]);
});

test('keys named like Object.prototype members compare like any other key', () => {
  expect(fieldChanges({ labels: { constructor: 'a', toString: 'b' } }, { labels: {} })).toEqual([
    { status: 'removed', path: 'labels.constructor', before: 'a' },
    { status: 'removed', path: 'labels.toString', before: 'b' },
  ]);
});

describe('lists of uniquely named items', () => {
  const containers = (...items: object[]) => ({ spec: { containers: items } });
  const proxy = { name: 'istio-proxy', image: 'proxyv2:1.30.3' };
  const app = { name: 'app', image: 'reviews:1' };

  test('an inserted item is reported by name, not as a change of every later item', () => {
    expect(fieldChanges(containers(app), containers(proxy, app))).toEqual([
      { status: 'added', path: 'spec.containers[name=istio-proxy]', after: proxy },
    ]);
  });

  test('a field of an item is addressed by the item name, with values as they were', () => {
    expect(fieldChanges(containers(proxy, app), containers({ ...proxy, image: 'proxyv2:1.31.0' }, app))).toEqual([
      {
        status: 'changed',
        path: 'spec.containers[name=istio-proxy].image',
        before: 'proxyv2:1.30.3',
        after: 'proxyv2:1.31.0',
      },
    ]);
  });

  test('a reordering is one change of (order)', () => {
    expect(fieldChanges(containers(proxy, app), containers(app, proxy))).toEqual([
      {
        status: 'changed',
        path: 'spec.containers (order)',
        before: ['istio-proxy', 'app'],
        after: ['app', 'istio-proxy'],
      },
    ]);
  });

  test('lists with repeated or missing names are compared by position', () => {
    expect(
      fieldChanges({ l: [{ name: 'a' }, { name: 'a', x: 1 }] }, { l: [{ name: 'a' }, { name: 'a', x: 2 }] }),
    ).toEqual([{ status: 'changed', path: 'l[1].x', before: 1, after: 2 }]);
  });
});

test('values of different shapes differ as a whole', () => {
  expect(fieldChanges('a', 'b')).toEqual([{ status: 'changed', path: '', before: 'a', after: 'b' }]);
  expect(fieldChanges({ a: [1] }, { a: { b: 1 } })).toEqual([
    { status: 'changed', path: 'a', before: [1], after: { b: 1 } },
  ]);
  expect(fieldChanges(1, 1)).toEqual([]);
});

test('values are rendered as compact JSON', () => {
  expect(formatValue({ a: [1, '2'] })).toBe('{"a":[1,"2"]}');
  expect(formatValue(undefined)).toBe('(none)');
});
