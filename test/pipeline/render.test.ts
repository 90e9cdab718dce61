import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesizeKubernetes, writeKubernetes } from '../../cdk8s/kubernetes-app';
import { ConfigError, TRAFFIC_PRESET_NAMES } from '../../config';
import { renderKubernetes } from '../../pipeline/render';
import { defaultEnvironment } from '../helpers/environments';
import { findObject } from '../helpers/manifests';

const documentsOf = (stream: string) => parseAllDocuments(stream).map((d) => d.toJS());

test('renders the bytes that synth writes, in apply order, after a header naming environment and preset', () => {
  const env = defaultEnvironment();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  const files = writeKubernetes(env, synthesizeKubernetes(env), dir);
  const written = files.map((file) => fs.readFileSync(file, 'utf8')).join('---\n');
  expect(renderKubernetes({ environment: 'default' }, undefined, {})).toBe(
    `# hello-istio: environment "default", traffic preset "all-v1"\n${written}`,
  );
});

test.each(TRAFFIC_PRESET_NAMES.map((name) => [name]))('preset %s renders the objects that environment synthesizes', (preset) => {
  const rendered = documentsOf(renderKubernetes({ environment: 'default', preset }, undefined, {}));
  const expected = synthesizeKubernetes(defaultEnvironment((e) => ({ ...e, traffic: { ...e.traffic, preset } }))).flatMap((c) => c.manifests);
  expect(rendered).toEqual(JSON.parse(JSON.stringify(expected)));
});

test('a preset changes the routes it names', () => {
  const objects = documentsOf(renderKubernetes({ environment: 'default', preset: 'reviews-v3' }, undefined, {}));
  expect(findObject(objects, 'VirtualService', 'reviews').spec.http).toEqual([{ route: [{ destination: { host: 'reviews', subset: 'v3' } }] }]);
});

test('an unknown preset or environment is an error listing the valid ones', () => {
  expect(() => renderKubernetes({ environment: 'default', preset: 'reviews-v4' }, undefined, {})).toThrow(ConfigError);
  expect(() => renderKubernetes({ environment: 'default', preset: 'reviews-v4' }, undefined, {})).toThrow(
    `unknown traffic preset "reviews-v4"; presets: ${TRAFFIC_PRESET_NAMES.join(', ')}`,
  );
  expect(() => renderKubernetes({ environment: 'prod' }, undefined, {})).toThrow('unknown environment "prod"; environments: default');
});
