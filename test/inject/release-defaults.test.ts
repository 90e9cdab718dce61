import { releaseValues } from '../../inject/injection-settings';
import { INJECTOR_RELEASES, injectorMinor } from '../../inject/istio-defaults';
import { RELEASE_DATA } from '../../inject/release-data';
import { releaseDefaultsFromChart, RELEASE_HUB } from '../../inject/release-defaults';
import { SUPPORTED_ISTIO_MINORS, SUPPORTED_ISTIO_VERSIONS } from '../../config/istio-releases';
import { describeWithReference, readReference } from '../helpers/reference';

describeWithReference('inject/istio-<minor>-values.json (npm run inject-data -- --minor <minor>)', () => {
  test.each(['1.29', '1.30'] as const)(
    "%s is current: the istiod chart's defaults of its release, with the release build's hub and tag",
    (minor) => {
      const chart = readReference(`istio-${INJECTOR_RELEASES[minor]}/istio-discovery-values.yaml`);
      expect(RELEASE_DATA[minor].values).toEqual(releaseDefaultsFromChart(chart, INJECTOR_RELEASES[minor]));
    },
  );
});

test('the defaults the injector starts from are those of the release, not of a source build', () => {
  for (const [minor, release] of Object.entries(INJECTOR_RELEASES)) {
    const global = RELEASE_DATA[minor as keyof typeof INJECTOR_RELEASES].values.global as Record<string, unknown>;
    expect([global.hub, global.tag]).toEqual([RELEASE_HUB, release]);
  }
  expect(() => releaseDefaultsFromChart('global: {}\n', '1.30.3')).toThrow(/not the istiod chart's values.yaml/);
});

test('a patch gets its minor defaults with its own image tag', () => {
  expect((releaseValues('1.29.9').global as Record<string, unknown>).tag).toBe('1.29.9');
  expect(() => releaseValues('1.28.3')).toThrow(/reproduces the injection of Istio 1.29, 1.30, 1.31/);
});

test('the injector has the data of every minor an environment may run', () => {
  expect(Object.keys(INJECTOR_RELEASES)).toEqual(SUPPORTED_ISTIO_MINORS);
  for (const version of SUPPORTED_ISTIO_VERSIONS) expect(() => injectorMinor(version)).not.toThrow();
});
