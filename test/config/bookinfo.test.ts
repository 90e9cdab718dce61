import {
  bookinfoDatabases,
  bookinfoResources,
  bookinfoServiceAccount,
  bookinfoWorkloads,
  ConfigError,
  loadEnvironments,
  type BookinfoInput,
} from '../../config';
import { defaultInput } from '../helpers/environments';

const base = defaultInput();
const load = (bookinfo: BookinfoInput) => loadEnvironments([{ ...base, bookinfo }], {})[0].bookinfo;

test('defaults: upstream bookinfo.yaml, one replica each, no extras', () => {
  expect(load({})).toEqual({
    registry: 'docker.io/istio', // the environment's istio.hub
    tag: '1.20.3',
    versions: { productpage: ['v1'], details: ['v1'], ratings: ['v1'], reviews: ['v1', 'v2', 'v3'] },
    replicas: 1,
    replicasByDeployment: {},
    resourcesByDeployment: {},
    mysqlCredentials: { secretName: 'mysql-credentials', key: 'rootpasswd' },
    labels: {},
    annotations: {},
    podAnnotations: {},
  });
});

test('workloads: service versions in upstream order, then the databases they read, with their accounts', () => {
  const all = load({ versions: { details: ['v2', 'v1'], ratings: ['v2'] } }).versions;
  expect(
    bookinfoWorkloads(all).map((w) => `${w.deployment} ${w.app}/${w.version} ${w.serviceAccount} ${w.kind}`),
  ).toEqual([
    'details-v2 details/v2 bookinfo-details service',
    'details-v1 details/v1 bookinfo-details service',
    'ratings-v2 ratings/v2 bookinfo-ratings-v2 service',
    'reviews-v1 reviews/v1 bookinfo-reviews service',
    'reviews-v2 reviews/v2 bookinfo-reviews service',
    'reviews-v3 reviews/v3 bookinfo-reviews service',
    'productpage-v1 productpage/v1 bookinfo-productpage service',
    'mongodb-v1 mongodb/v1 bookinfo-mongodb database',
  ]);
  expect(bookinfoDatabases(load({ versions: { ratings: ['v1', 'v2-mysql'] } }).versions)).toEqual(['mysqldb']);
  expect(bookinfoDatabases(load({}).versions)).toEqual([]);
  expect(bookinfoServiceAccount('ratings', 'v2-mysql')).toBe('bookinfo-ratings-v2');
  expect(bookinfoServiceAccount('ratings', 'v1')).toBe('bookinfo-ratings');
});

test('resources: the configured fields over the defaults of the app', () => {
  const config = load({ resourcesByDeployment: { 'reviews-v1': { limits: { memoryMebibytes: 768 } } } });
  const [reviewsV1, reviewsV2] = bookinfoWorkloads(config.versions).filter((w) => w.app === 'reviews');
  expect(bookinfoResources(config, reviewsV1)).toEqual({
    requests: { cpuMillicores: 100, memoryMebibytes: 256 },
    limits: { cpuMillicores: 1000, memoryMebibytes: 768 },
  });
  expect(bookinfoResources(config, reviewsV2).limits.memoryMebibytes).toBe(512);
});

describe('a bad value stops loading with an error naming the field, the value and what is allowed', () => {
  test.each<[string, BookinfoInput, RegExp]>([
    ['replicas below 0', { replicas: -1 }, /bookinfo\.replicas = -1: must be 0 or more/],
    ['fractional replicas', { replicas: 1.5 }, /bookinfo\.replicas = 1\.5: must be a whole number/],
    [
      'replicas by Deployment below 0',
      { replicasByDeployment: { 'reviews-v1': -2 } },
      /bookinfo\.replicasByDeployment\.reviews-v1 = -2: must be 0 or more/,
    ],
    [
      'a version that does not exist',
      { versions: { reviews: ['v1', 'v4'] } as never },
      /bookinfo\.versions\.reviews\.1 = "v4": must be a version of reviews that upstream Bookinfo ships: v1, v2, v3/,
    ],
    [
      'no version of a service',
      { versions: { details: [] } },
      /bookinfo\.versions\.details = \[\]: details needs at least one version/,
    ],
    [
      'a version twice',
      { versions: { reviews: ['v2', 'v2'] } },
      /bookinfo\.versions\.reviews = \["v2","v2"\]: lists a version twice/,
    ],
    [
      'both database-backed ratings',
      { versions: { ratings: ['v2', 'v2-mysql'] } },
      /bookinfo\.versions\.ratings = \["v2","v2-mysql"\]: v2 \(MongoDB\) and v2-mysql \(MySQL\) are mutually exclusive/,
    ],
    [
      'replicas for a Deployment that is not configured',
      { replicasByDeployment: { 'details-v2': 2 } },
      /bookinfo\.replicasByDeployment\.details-v2 = "details-v2": is not a service Deployment of this configuration; the Deployments are details-v1, ratings-v1, reviews-v1, reviews-v2, reviews-v3, productpage-v1/,
    ],
    [
      'replicas for a database',
      { versions: { ratings: ['v2'] }, replicasByDeployment: { 'mongodb-v1': 2 } },
      /bookinfo\.replicasByDeployment\.mongodb-v1 = "mongodb-v1": is not a service Deployment/,
    ],
    [
      'an image registry with spaces',
      { registry: 'my registry/bookinfo' },
      /bookinfo\.registry = "my registry\/bookinfo": must be a registry path without spaces/,
    ],
    ['an image tag with spaces', { tag: '1.20 .3' }, /bookinfo\.tag = "1\.20 \.3": must be an image tag/],
    [
      'resources for a Deployment that is not configured',
      { resourcesByDeployment: { 'mysqldb-v1': {} } },
      /bookinfo\.resourcesByDeployment\.mysqldb-v1 = "mysqldb-v1": is not a Deployment of this configuration/,
    ],
    [
      'a request above its limit',
      { resourcesByDeployment: { 'details-v1': { requests: { memoryMebibytes: 256 } } } },
      /bookinfo\.resourcesByDeployment\.details-v1 = .*: requests\.memoryMebibytes \(256\) must not exceed limits\.memoryMebibytes \(128\)/,
    ],
    [
      'zero CPU',
      { resourcesByDeployment: { 'details-v1': { limits: { cpuMillicores: 0 } } } },
      /bookinfo\.resourcesByDeployment\.details-v1\.limits\.cpuMillicores = 0: must be at least 1/,
    ],
    [
      'a label key that is not a label key',
      { labels: { 'cost center': 'c1' } },
      /bookinfo\.labels\.cost center = "cost center": must be a label or annotation key/,
    ],
    [
      'a label value with spaces',
      { labels: { team: 'store front' } },
      /bookinfo\.labels\.team = "store front": must be a label value/,
    ],
    [
      'a label Bookinfo sets',
      { labels: { version: 'v9' } },
      /bookinfo\.labels\.version = "version": is set by Bookinfo itself/,
    ],
    [
      'an annotation key with spaces',
      { annotations: { 'owner name': 'x' } },
      /bookinfo\.annotations\.owner name = "owner name": must be a label or annotation key/,
    ],
    [
      'a pod annotation Bookinfo sets',
      { podAnnotations: { 'prometheus.io/path': '/x' } },
      /bookinfo\.podAnnotations\.prometheus\.io\/path = "prometheus\.io\/path": is set by Bookinfo itself/,
    ],
    [
      'a Secret name that is not one',
      { mysqlCredentials: { secretName: 'MySQL Credentials' } },
      /bookinfo\.mysqlCredentials\.secretName = "MySQL Credentials": must be a Secret name/,
    ],
    ['a misspelt field', { replica: 2 } as never, /bookinfo: unknown field\(s\) "replica"/],
  ])('%s', (_name, bookinfo, message) => {
    const run = () => load(bookinfo);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});
