import { selects, type Labels } from '../../kube/object';
import { LabelIndex, SelectorIndex } from '../../kube/object-index';
import { seededRandom } from '../helpers/seeded-random';

// The indexes answer what a scan of every item would, in the same order, only without the scan.

function labelsFrom(next: () => number, most: number): Labels {
  const labels: Record<string, string> = {};
  const count = Math.floor(next() * (most + 1));
  for (let i = 0; i < count; i++)
    labels[['app', 'version', 'tier', 'team'][Math.floor(next() * 4)]] = `v${Math.floor(next() * 3)}`;
  return labels;
}

describe.each([1, 2, 3, 4, 5])('random items, seed %i', (seed) => {
  const next = seededRandom(seed);
  const namespaces = ['a', 'b'];
  const items = Array.from({ length: 200 }, (_, i) => ({
    name: `item-${i}`,
    namespace: namespaces[Math.floor(next() * 2)],
    labels: labelsFrom(next, 3),
    selector: next() < 0.1 ? undefined : labelsFrom(next, 2),
  }));
  const queries = Array.from({ length: 100 }, () => ({
    namespace: namespaces[Math.floor(next() * 2)],
    labels: labelsFrom(next, 4),
  }));

  test('SelectorIndex.selecting: the items of the namespace whose non-empty selector picks the labels', () => {
    const index = new SelectorIndex<(typeof items)[number]>();
    items.forEach((item) => index.add(item));
    let found = 0;
    for (const { namespace, labels } of queries) {
      const scanned = items.filter(
        (item) =>
          item.namespace === namespace &&
          item.selector !== undefined &&
          Object.keys(item.selector).length > 0 &&
          selects(item.selector, labels),
      );
      expect(index.selecting(namespace, labels)).toEqual(scanned);
      found += scanned.length;
    }
    // the queries find something, so that the comparison says something
    expect(found).toBeGreaterThan(20);
  });

  test('LabelIndex.select: the items (of the namespace, or of all) whose labels the selector picks', () => {
    const index = new LabelIndex<(typeof items)[number]>();
    items.forEach((item) => index.add(item));
    for (const { namespace, labels: selector } of queries) {
      for (const scope of [namespace, undefined]) {
        const scanned = items.filter(
          (item) => (scope === undefined || item.namespace === scope) && selects(selector, item.labels),
        );
        expect(index.select(scope, selector)).toEqual(scanned);
      }
    }
  });
});
