import { RELEASE_VALUES } from '../../inject/injection-settings';
import { releaseDefaultsFromChart, RELEASE_HUB } from '../../inject/release-defaults';
import { describeWithReference, readReference } from '../helpers/reference';

describeWithReference('inject/istio-1.30.3-values.json (npm run inject-data)', () => {
  test("is current: the istiod chart's defaults, with the release build's hub and tag", () => {
    const chart = readReference('istio-1.30.3/istio-discovery-values.yaml');
    expect(RELEASE_VALUES).toEqual(releaseDefaultsFromChart(chart));
  });
});

test('the defaults the injector starts from are those of the release, not of a source build', () => {
  const global = RELEASE_VALUES.global as Record<string, unknown>;
  expect([global.hub, global.tag]).toEqual([RELEASE_HUB, '1.30.3']);
  expect(() => releaseDefaultsFromChart('global: {}\n')).toThrow(/not the istiod chart's values.yaml/);
});
