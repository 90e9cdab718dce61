import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { GOOGLE_HOSTED_ISTIO_HOSTS, loadEnvironments, type Environment } from '../../config';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { synthesizeToDist } from '../../pipeline/synthesize';
import { testEnvironmentInput } from '../helpers/environments';
import { readTree } from '../helpers/project-copy';

// Istio takes its Google-hosted artifacts offline from 2026-12-08 15:00 UTC: nothing we write may point there, and
// every image must come from the hub the environment configures.

/** Every image a synthesized dist/ names: containers in the YAML, and the charts' images from their hub and tag. */
function imagesIn(dist: string): { file: string; image: string }[] {
  const found: { file: string; image: string }[] = [];
  for (const [file, content] of readTree(dist)) {
    if (file.endsWith('.yaml')) {
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key === 'image' && typeof value === 'string') found.push({ file, image: value });
            else visit(value);
          }
        }
      };
      for (const doc of parseAllDocuments(content.toString('utf8'))) visit(doc.toJS());
    } else if (file.endsWith('cdk.tf.json')) {
      const stack = JSON.parse(content.toString('utf8'));
      for (const release of Object.values<any>(stack.resource?.helm_release ?? {})) {
        const values = parse(release.values[0]);
        // The charts name their images <global.hub>/<image>:<global.tag>; one per chart stands for all.
        found.push({ file, image: `${values.global.hub}/${release.chart}:${values.global.tag}` });
        if (values.image !== undefined) found.push({ file, image: values.image });
      }
    }
  }
  return found;
}

function synthesized(environments: Environment[]): string {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-homes-')), 'dist');
  synthesizeToDist(environments, dist);
  return dist;
}

function expectNoGoogleHostedIstio(dist: string): void {
  const hits: string[] = [];
  for (const [file, content] of readTree(dist)) {
    const text = content.toString('utf8');
    for (const host of GOOGLE_HOSTED_ISTIO_HOSTS) if (text.includes(host)) hits.push(`${file}: ${host}`);
  }
  expect(hits).toEqual([]);
}

const environments = loadEnvironments([
  testEnvironmentInput(),
  testEnvironmentInput((e) => {
    e.name = 'mirror';
    e.projectId = 'mirror-project-1';
    e.cluster.name = 'mirror';
    e.istio = { version: '1.30.4', hub: 'europe-docker.pkg.dev/my-project/istio' };
  }),
  testEnvironmentInput((e) => {
    e.name = 'managed';
    e.projectId = 'managed-project-1';
    e.cluster.name = 'managed';
    e.mesh = { mode: 'cloud-service-mesh' };
  }),
  testEnvironmentInput((e) => {
    e.name = 'addon';
    e.projectId = 'addon-project-1';
    e.cluster.name = 'addon';
    e.mesh = { mode: 'gke-istio-addon' };
  }),
]);
const dist = synthesized(environments);

test('no Google-hosted Istio host appears in any file of a synthesized dist/', () => {
  expectNoGoogleHostedIstio(dist);
});

test('no Google-hosted Istio host appears in any file of the committed dist/', () => {
  expectNoGoogleHostedIstio(path.join(PROJECT_ROOT, 'dist'));
});

test('the scan finds a Google-hosted host where there is one (the check can fail)', () => {
  const planted = synthesized(environments.slice(0, 1));
  fs.appendFileSync(path.join(planted, 'diagrams', 'test.md'), '\nregistry.istio.io/release/pilot\n');
  expect(() => expectNoGoogleHostedIstio(planted)).toThrow();
});

describe('every image is on the environment’s hub', () => {
  const images = imagesIn(dist);
  const hubOf = (file: string) => {
    const env = environments.find((e) =>
      file.split(path.sep).some((part) => part === e.name || part.startsWith(`${e.name}-`)),
    );
    if (!env) throw new Error(`no environment for ${file}`);
    return env.istio.hub;
  };

  test.each(environments.map((e) => e.name))('%s: the YAML and the Helm values name only images on its hub', (name) => {
    const own = images.filter(({ file }) =>
      file.split(path.sep).some((part) => part === name || part === `${name}-gke` || part === `${name}-mesh`),
    );
    // No exceptions by default; the only ones are chosen in config (bookinfo.registry, injection.proxyImage).
    const off = own.filter(({ file, image }) => !image.startsWith(`${hubOf(file)}/`));
    expect(off).toEqual([]);
    if (name !== 'addon') expect(own.length).toBeGreaterThan(0);
  });

  test('the sidecars, the charts and Bookinfo all use the configured version and hub', () => {
    const mirror = images.filter(({ file }) => file.includes(`${path.sep}mirror`) || file.includes('mirror-'));
    const hub = 'europe-docker.pkg.dev/my-project/istio';
    expect(mirror.map((i) => i.image)).toEqual(
      expect.arrayContaining([
        `${hub}/proxyv2:1.30.4`,
        `${hub}/istiod:1.30.4`,
        `${hub}/gateway:1.30.4`,
        `${hub}/examples-bookinfo-productpage-v1:1.20.3`,
      ]),
    );
  });

  test('a Bookinfo registry of its own is the one other place images may come from', () => {
    const [env] = loadEnvironments([
      testEnvironmentInput((e) => {
        e.bookinfo = { registry: 'us-docker.pkg.dev/my-project/apps' };
      }),
    ]);
    const found = imagesIn(synthesized([env])).map((i) => i.image);
    expect(
      found
        .filter((i) => i.includes('examples-bookinfo'))
        .every((i) => i.startsWith('us-docker.pkg.dev/my-project/apps/')),
    ).toBe(true);
    expect(found.filter((i) => i.includes('proxyv2')).every((i) => i.startsWith('docker.io/istio/'))).toBe(true);
  });
});
