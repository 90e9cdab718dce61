import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesizeKubernetes, writeKubernetes } from '../../cdk8s/kubernetes-app';
import { ConfigError, TRAFFIC_PRESET_NAMES } from '../../config';
import { renderKubernetes } from '../../pipeline/render';
import { defaultEnvironment, TEST_ENVIRONMENTS } from '../helpers/environments';
import { findObject } from '../helpers/manifests';

const documentsOf = (stream: string) => parseAllDocuments(stream).map((d) => d.toJS());

test('renders the bytes that synth writes, in apply order, after a header naming environment and preset', () => {
  const env = defaultEnvironment();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  const files = writeKubernetes(env, synthesizeKubernetes(env), dir);
  const written = files.map((file) => fs.readFileSync(file, 'utf8')).join('---\n');
  expect(renderKubernetes({ environment: 'default' }, TEST_ENVIRONMENTS, {})).toBe(
    `# hello-istio: environment "default", traffic preset "all-v1"\n${written}`,
  );
});

test.each(TRAFFIC_PRESET_NAMES.map((name) => [name]))(
  'preset %s renders the objects that environment synthesizes',
  (preset) => {
    const rendered = documentsOf(renderKubernetes({ environment: 'default', preset }, TEST_ENVIRONMENTS, {}));
    const expected = synthesizeKubernetes(
      defaultEnvironment((e) => ({ ...e, traffic: { ...e.traffic, preset } })),
    ).flatMap((c) => c.manifests);
    expect(rendered).toEqual(JSON.parse(JSON.stringify(expected)));
  },
);

test('a preset changes the routes it names', () => {
  const objects = documentsOf(
    renderKubernetes({ environment: 'default', preset: 'reviews-v3' }, TEST_ENVIRONMENTS, {}),
  );
  expect(findObject(objects, 'VirtualService', 'reviews').spec.http).toEqual([
    { route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
  ]);
});

test('an unknown preset or environment is an error listing the valid ones', () => {
  expect(() => renderKubernetes({ environment: 'default', preset: 'reviews-v4' }, TEST_ENVIRONMENTS, {})).toThrow(
    ConfigError,
  );
  expect(() => renderKubernetes({ environment: 'default', preset: 'reviews-v4' }, TEST_ENVIRONMENTS, {})).toThrow(
    `unknown traffic preset "reviews-v4"; presets: ${TRAFFIC_PRESET_NAMES.join(', ')}`,
  );
  expect(() => renderKubernetes({ environment: 'prod' }, TEST_ENVIRONMENTS, {})).toThrow(
    'unknown environment "prod"; environments: default',
  );
});

describe('--set overrides fields of the environment for one render', () => {
  const render = (...set: string[]) =>
    documentsOf(renderKubernetes({ environment: 'default', set }, TEST_ENVIRONMENTS, {}));

  test('a plain string, a number and JSON, at nested paths and list indices', () => {
    const objects = render(
      'traffic.preset=reviews-v3',
      'bookinfo.replicas=2',
      'services=[{"name":"payments","port":8080,"versions":[{"version":"v1","image":"docker.io/example/payments:1.0.0"}]}]',
      'services[0].versions.0.replicas=3',
      'services.0.port=8081',
    );
    expect(findObject(objects, 'VirtualService', 'reviews').spec.http).toEqual([
      { route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
    ]);
    expect(findObject(objects, 'Deployment', 'details-v1').spec.replicas).toBe(2);
    expect(findObject(objects, 'Deployment', 'payments-v1').spec.replicas).toBe(3);
    expect(findObject(objects, 'Service', 'payments').spec.ports).toEqual([{ port: 8081, name: 'http' }]);
    expect(documentsOf(renderKubernetes({ environment: 'default' }, TEST_ENVIRONMENTS, {}))[0]).toEqual(objects[0]);
  });

  test('the same as writing the change into the environment', () => {
    const expected = synthesizeKubernetes(
      defaultEnvironment((e) => ({ ...e, traffic: { preset: 'reviews-v3', policy: { loadBalancer: 'RANDOM' } } })),
    );
    expect(render('traffic.preset=reviews-v3', 'traffic.policy.loadBalancer=RANDOM')).toEqual(
      JSON.parse(JSON.stringify(expected.flatMap((c) => c.manifests))),
    );
  });

  test.each([
    ['traffic.preset', '--set traffic.preset: expected PATH=VALUE, such as traffic.preset=reviews-v3'],
    ['traffic..preset=x', '--set traffic..preset: has an empty key'],
    [
      'namespace.name=x',
      '--set namespace.name: namespace is "bookinfo", not an object or a list, so it has no field name',
    ],
    [
      'services.2.port=1',
      '--set services.2.port: services is not set in the environment (its default applies), so it has no item 2',
    ],
    [
      'bookinfo.versions.reviews.5=v1',
      '--set bookinfo.versions.reviews.5: bookinfo.versions.reviews is not set in the environment',
    ],
    ['cluster.0=1', '--set cluster.0: cluster.0: cluster is not a list'],
    [
      'callGraph.6={"from":"productpage","to":"details"}',
      "--set callGraph.6: callGraph is not set in the environment (its default applies), so it has no item 6; set the whole list, such as --set 'callGraph=[...]'",
    ],
    ['bookinfo.replicas=-1', 'bookinfo.replicas = -1: must be 0 or more'],
    ['traffic.prest=reviews-v3', 'traffic: unknown field(s) "prest"'],
    [
      'services.0={"name":"payments","port":70000,"versions":[{"version":"v1","image":"x"}]}',
      'services[payments].port = 70000: must be a port from 1 to 65535',
    ],
  ])('--set %s is an error naming the path', (set, message) => {
    expect(() => render(set)).toThrow(ConfigError);
    expect(() => render(set)).toThrow(message);
  });
});

test('--set past the end of a list the environment sets names the indices it has', () => {
  const inputs = [{ ...TEST_ENVIRONMENTS[0], bookinfo: { versions: { reviews: ['v1'] } } }];
  expect(() =>
    renderKubernetes({ environment: 'default', set: ['bookinfo.versions.reviews.2=v3'] }, inputs, {}),
  ).toThrow(
    '--set bookinfo.versions.reviews.2: bookinfo.versions.reviews.2: the list has 1 item(s); use an index from 0 to 1',
  );
  const grown = documentsOf(
    renderKubernetes({ environment: 'default', set: ['bookinfo.versions.reviews.1=v3'] }, inputs, {}),
  );
  expect(
    grown.filter((o) => o.kind === 'Deployment' && o.metadata.labels.app === 'reviews').map((o) => o.metadata.name),
  ).toEqual(['reviews-v1', 'reviews-v3']);
});
