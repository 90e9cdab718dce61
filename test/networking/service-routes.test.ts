import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { ServiceRoutes } from '../../cdk8s/networking/service-routes';
import type { HttpRoute } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { findObject, objectsOf } from '../helpers/manifests';
import { readTree } from '../helpers/project-copy';
import { synthesizeToDist } from '../../pipeline/synthesize';

/** The VirtualService that ServiceRoutes writes for reviews (v1, v2, v3 deployed). */
function reviewsRoutes(routes: HttpRoute[]) {
  const chart = new Chart(new App(), 'test');
  new ServiceRoutes(chart, 'reviews', {
    service: { name: 'reviews', versions: ['v1', 'v2', 'v3'] },
    namespace: 'bookinfo',
    routes,
  });
  return chart.toJson()[0];
}

describe('the typed routing API', () => {
  test('writes matches, a weighted split, faults, a timeout, retries and mirroring as Istio fields', () => {
    const vs = reviewsRoutes([
      {
        name: 'testers',
        match: [{ headers: { 'end-user': { prefix: 'test-' } } }, { uri: { regex: '/reviews/[0-9]+' } }],
        to: [
          { subset: 'v2', weight: 75 },
          { subset: 'v3', weight: 25 },
        ],
        fault: { delay: { fixedDelay: '500ms', percent: 10 }, abort: { httpStatus: 503, percent: 0.5 } },
        timeout: '2s',
        retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx,connect-failure' },
        mirror: { subset: 'v1', percent: 20 },
      },
      { to: [{ subset: 'v1' }] },
    ]);
    expect(vs).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
    });
    expect(vs.spec).toEqual({
      hosts: ['reviews'],
      http: [
        {
          name: 'testers',
          match: [{ headers: { 'end-user': { prefix: 'test-' } } }, { uri: { regex: '/reviews/[0-9]+' } }],
          route: [
            { destination: { host: 'reviews', subset: 'v2' }, weight: 75 },
            { destination: { host: 'reviews', subset: 'v3' }, weight: 25 },
          ],
          fault: {
            delay: { fixedDelay: '500ms', percentage: { value: 10 } },
            abort: { httpStatus: 503, percentage: { value: 0.5 } },
          },
          timeout: '2s',
          retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx,connect-failure' },
          mirror: { host: 'reviews', subset: 'v1' },
          mirrorPercentage: { value: 20 },
        },
        { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
      ],
    });
  });

  test('a single destination needs no weight, and a weight of 100 is kept', () => {
    expect(reviewsRoutes([{ to: [{ subset: 'v3', weight: 100 }] }]).spec.http[0].route).toEqual([
      { destination: { host: 'reviews', subset: 'v3' }, weight: 100 },
    ]);
  });
});

describe('routes in config replace the preset routes of their service only', () => {
  const env = defaultEnvironment((e) => ({
    ...e,
    traffic: { preset: 'reviews-test-v2', routes: { ratings: [{ to: [{ subset: 'v1' }], timeout: '1s' }] } },
  }));
  const manifests = objectsOf(env);

  test('ratings gets the configured route', () => {
    expect(findObject(manifests, 'VirtualService', 'ratings').spec).toEqual({
      hosts: ['ratings'],
      http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' } }], timeout: '1s' }],
    });
  });

  test("reviews keeps the preset's routes", () => {
    const reviews = findObject(manifests, 'VirtualService', 'reviews').spec as { http: { match?: unknown }[] };
    expect(reviews.http).toHaveLength(2);
    expect(reviews.http[0].match).toEqual([{ headers: { 'end-user': { exact: 'jason' } } }]);
  });
});

/** Synthesizes the default environment with these routes for reviews. */
const withReviewsRoutes = (routes: unknown[]) => () =>
  objectsOf(defaultEnvironment((e) => ({ ...e, traffic: { routes: { reviews: routes as HttpRoute[] } } })));

describe('a bad route stops the synth with an error naming the VirtualService, the route and the value', () => {
  const v1 = { subset: 'v1' };
  test.each<[string, unknown[], string]>([
    [
      'weights that do not add up to 100',
      [
        {
          to: [
            { subset: 'v1', weight: 60 },
            { subset: 'v2', weight: 30 },
          ],
        },
      ],
      'VirtualService "reviews" route #1: weights add up to 90 (v1 60, v2 30); they must add up to 100',
    ],
    [
      'a single weight other than 100',
      [{ to: [{ subset: 'v1', weight: 50 }] }],
      'VirtualService "reviews" route #1: weights add up to 50 (v1 50); they must add up to 100',
    ],
    [
      'a split with a destination without weight',
      [{ to: [{ subset: 'v1', weight: 100 }, { subset: 'v2' }] }],
      'VirtualService "reviews" route #1: splits across 2 subsets but gives no weight to v2; give every subset a weight',
    ],
    [
      'a fractional weight',
      [
        {
          to: [
            { subset: 'v1', weight: 50.5 },
            { subset: 'v2', weight: 49.5 },
          ],
        },
      ],
      'VirtualService "reviews" route #1 weight of v1 = 50.5: must be a whole number from 0 to 100',
    ],
    [
      'a subset that is not deployed',
      [{ to: [{ subset: 'v4' }] }],
      'VirtualService "reviews" route #1 to[0].subset = "v4": is not a deployed version of reviews; deployed: v1, v2, v3',
    ],
    [
      'the same subset twice',
      [
        {
          to: [
            { subset: 'v1', weight: 50 },
            { subset: 'v1', weight: 50 },
          ],
        },
      ],
      'VirtualService "reviews" route #1: names subset "v1" twice',
    ],
    [
      'no destination',
      [{ to: [] }],
      'VirtualService "reviews" route #1: routes nowhere; give at least one destination subset',
    ],
    ['no routes at all', [], 'VirtualService "reviews" has no routes; give it at least one'],
    [
      'a delay percentage above 100',
      [{ to: [v1], fault: { delay: { fixedDelay: '7s', percent: 150 } } }],
      'VirtualService "reviews" route #1 fault.delay.percent = 150: must be a percentage from 0 to 100',
    ],
    [
      'a negative abort percentage',
      [{ to: [v1], fault: { abort: { httpStatus: 500, percent: -5 } } }],
      'VirtualService "reviews" route #1 fault.abort.percent = -5: must be a percentage from 0 to 100',
    ],
    [
      'a mirror percentage above 100',
      [{ to: [v1], mirror: { subset: 'v2', percent: 101 } }],
      'VirtualService "reviews" route #1 mirror.percent = 101: must be a percentage from 0 to 100',
    ],
    [
      'a negative delay',
      [{ to: [v1], fault: { delay: { fixedDelay: '-1s', percent: 100 } } }],
      'VirtualService "reviews" route #1 fault.delay.fixedDelay = "-1s": is negative; must be a duration of at least 1ms',
    ],
    [
      'a malformed delay',
      [{ to: [v1], fault: { delay: { fixedDelay: '7 seconds', percent: 100 } } }],
      'VirtualService "reviews" route #1 fault.delay.fixedDelay = "7 seconds": must be a duration of at least 1ms, such as 7s',
    ],
    [
      'a delay below 1ms',
      [{ to: [v1], fault: { delay: { fixedDelay: '0s', percent: 100 } } }],
      'VirtualService "reviews" route #1 fault.delay.fixedDelay = "0s": must be a duration of at least 1ms',
    ],
    [
      'a malformed timeout',
      [{ to: [v1], timeout: '10' }],
      'VirtualService "reviews" route #1 timeout = "10": must be a duration',
    ],
    [
      'a malformed per-try timeout',
      [{ to: [v1], retries: { attempts: 2, perTryTimeout: '1x' } }],
      'VirtualService "reviews" route #1 retries.perTryTimeout = "1x": must be a duration',
    ],
    [
      'negative retry attempts',
      [{ to: [v1], retries: { attempts: -1 } }],
      'VirtualService "reviews" route #1 retries.attempts = -1: must be a whole number from 0',
    ],
    [
      'malformed retry conditions',
      [{ to: [v1], retries: { attempts: 2, retryOn: '5xx; reset' } }],
      'VirtualService "reviews" route #1 retries.retryOn = "5xx; reset": must be a comma-separated list of retry conditions',
    ],
    [
      'a header match without a value',
      [{ match: [{ headers: { 'end-user': {} } }], to: [v1] }],
      'VirtualService "reviews" route #1 match[0] headers.end-user = {}: has no value; give one of exact, prefix or regex',
    ],
    [
      'a header match with an empty value',
      [{ match: [{ headers: { 'end-user': { exact: '' } } }], to: [v1] }],
      'VirtualService "reviews" route #1 match[0] headers.end-user = {"exact":""}: has no value; give the exact value to match',
    ],
    [
      'a header match with two kinds of value',
      [{ match: [{ headers: { 'end-user': { exact: 'jason', prefix: 'j' } } }], to: [v1] }],
      'match[0] headers.end-user = {"exact":"jason","prefix":"j"}: must give only one of exact, prefix or regex',
    ],
    [
      'an upper-case header name',
      [{ match: [{ headers: { 'End-User': { exact: 'jason' } } }], to: [v1] }],
      'VirtualService "reviews" route #1 match[0] header name = "End-User": must be a lower-case HTTP header name',
    ],
    [
      'an empty match',
      [{ match: [{}], to: [v1] }],
      'VirtualService "reviews" route #1 match[0]: matches nothing in particular; leave `match` out to match every request',
    ],
    [
      'an abort status that is not an HTTP status',
      [{ to: [v1], fault: { abort: { httpStatus: 700, percent: 100 } } }],
      'VirtualService "reviews" route #1 fault.abort.httpStatus = 700: must be a whole number from 200 to 599',
    ],
    [
      'a fault with nothing in it',
      [{ to: [v1], fault: {} }],
      'VirtualService "reviews" route #1: fault has neither a delay nor an abort',
    ],
    [
      'a mirror to a version that is not deployed',
      [{ to: [v1], mirror: { subset: 'v9' } }],
      'VirtualService "reviews" route #1 mirror.subset = "v9": is not a deployed version of reviews',
    ],
    [
      'a problem in a named route, after a good one',
      [
        { match: [{ headers: { 'end-user': { exact: 'jason' } } }], to: [{ subset: 'v2' }] },
        {
          name: 'canary',
          to: [
            { subset: 'v1', weight: 99 },
            { subset: 'v3', weight: 2 },
          ],
        },
      ],
      'VirtualService "reviews" route #2 (canary): weights add up to 101 (v1 99, v3 2); they must add up to 100',
    ],
  ])('%s', (_name, routes, message) => {
    expect(withReviewsRoutes(routes)).toThrow(message);
    expect(withReviewsRoutes(routes)).toThrow(
      /^Invalid routes of VirtualService "reviews" in namespace "bookinfo":\n {2}- /,
    );
  });

  test('every problem is listed, not only the first', () => {
    const run = withReviewsRoutes([
      { to: [{ subset: 'v7' }], timeout: 'soon', fault: { abort: { httpStatus: 500, percent: 200 } } },
    ]);
    expect(run).toThrow(/to\[0\]\.subset = "v7"[\s\S]*fault\.abort\.percent = 200[\s\S]*timeout = "soon"/);
  });

  test('a route of the wrong shape is a configuration error naming the field', () => {
    expect(withReviewsRoutes([{ to: [{ subset: 'v1' }], weigth: 100 }])).toThrow(
      /traffic\.routes\.reviews\.0: unknown field\(s\) "weigth"/,
    );
    expect(withReviewsRoutes([{ to: [{ subset: 'v1', weight: '100' }] }])).toThrow(
      /traffic\.routes\.reviews\.0\.to\.0\.weight = "100"/,
    );
  });
});

test('a synth with a bad route fails, names the route and value, and leaves dist/ as it was', () => {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-route-')), 'dist');
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'marker'), 'unchanged');
  const before = readTree(dist);
  const env = defaultEnvironment((e) => ({
    ...e,
    traffic: {
      routes: {
        reviews: [
          {
            to: [
              { subset: 'v1', weight: 80 },
              { subset: 'v2', weight: 30 },
            ],
          },
        ],
      },
    },
  }));
  expect(() => synthesizeToDist([env], dist)).toThrow(
    'VirtualService "reviews" route #1: weights add up to 110 (v1 80, v2 30); they must add up to 100',
  );
  expect(readTree(dist)).toEqual(before);
});
