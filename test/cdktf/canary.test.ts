import diff from 'microdiff';
import { parse } from 'yaml';
import type { EnvironmentInput } from '../../config';
import type { KubeObject, Manifest } from '../../kube/object';
import { podTemplateOf } from '../../kube/workload-kinds';
import { defaultEnvironment } from '../helpers/environments';
import { objectsOf } from '../helpers/manifests';
import { synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

/** A canary setup of the tests' own: 1.29.6 and 1.30.5 side by side, the namespace on `stable`. */
function canary(change: (istio: NonNullable<EnvironmentInput['istio']>) => void = () => undefined) {
  return defaultEnvironment((e) => {
    e.istio = {
      revisions: [
        { name: '1-29-6', version: '1.29.6' },
        { name: '1-30-5', version: '1.30.5' },
      ],
      tags: { stable: '1-29-6', canary: '1-30-5' },
      tag: 'stable',
    };
    change(e.istio);
    return e;
  });
}

const releases = (stack: TerraformStackJson): Record<string, Record<string, any>> =>
  Object.fromEntries(
    Object.entries(stack.resource.helm_release).map(([id, r]) => [r.name, { ...r, id, values: parse(r.values[0]) }]),
  );

const key = (m: Manifest) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;

/** The objects that differ between two synth outputs, each with the paths that differ. */
function changes(before: readonly Manifest[], after: readonly Manifest[]): Map<string, string[]> {
  const a = new Map(before.map((m) => [key(m), m]));
  const b = new Map(after.map((m) => [key(m), m]));
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  const out = new Map<string, string[]>();
  for (const [k, m] of a) {
    const paths = diff(m as object as Record<string, unknown>, b.get(k) as object as Record<string, unknown>).map((d) =>
      d.path.join('.'),
    );
    if (paths.length > 0) out.set(k, paths);
  }
  return out;
}

describe('two istiod revisions and their tags', () => {
  const env = canary();
  const mesh = releases(synthesizeStacks([env]).json('default-mesh'));

  test('the mesh stack installs one istiod release per revision, at its own version, with the tags on it', () => {
    expect(Object.keys(mesh).sort()).toEqual([
      'istio-base',
      'istio-cni',
      'istio-ingressgateway',
      'istiod-1-29-6',
      'istiod-1-30-5',
    ]);
    expect(mesh['istiod-1-29-6']).toMatchObject({
      version: '1.29.6',
      values: { revision: '1-29-6', revisionTags: ['stable'] },
    });
    expect(mesh['istiod-1-29-6'].values.global.tag).toBe('1.29.6');
    expect(mesh['istiod-1-30-5']).toMatchObject({
      version: '1.30.5',
      values: { revision: '1-30-5', revisionTags: ['canary'] },
    });
    // CRDs and the node agent once, at the newest release; Istio's validation goes to the namespace's revision
    expect(mesh['istio-base']).toMatchObject({ version: '1.30.5', values: { defaultRevision: '1-29-6' } });
    expect(mesh['istio-cni'].version).toBe('1.30.5');
  });

  test('the ingress gateway is on the tag, the namespace is labelled with it, the sidecars are the revision behind it', () => {
    expect(mesh['istio-ingressgateway'].values.revision).toBe('stable');
    const objects = objectsOf(env);
    const namespace = objects.find((m) => m.kind === 'Namespace' && m.metadata.name === 'bookinfo')!;
    const labels = (namespace.metadata.labels ?? {}) as Record<string, string>;
    expect(labels['istio.io/rev']).toBe('stable');
    expect(labels['istio-injection']).toBeUndefined();
    for (const d of objects.filter((m) => m.kind === 'Deployment')) {
      const pod = podTemplateOf(d as KubeObject);
      const proxy = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === 'istio-proxy')!;
      expect(proxy.image).toBe('docker.io/istio/proxyv2:1.29.6');
      expect(JSON.parse(pod.metadata.annotations!['sidecar.istio.io/status']).revision).toBe('1-29-6');
    }
  });
});

describe('moving a tag', () => {
  const before = canary();
  const sidecarPaths = (paths: string[]) =>
    paths.every((p) => p.startsWith('spec.template.metadata.annotations') || p.startsWith('spec.template.spec.'));

  test('the tag moved to the canary: exactly the sidecars of the namespace change, and the tags move in Terraform', () => {
    const after = canary((istio) => (istio.tags = { stable: '1-30-5', canary: '1-30-5' }));
    const changed = changes(objectsOf(before), objectsOf(after));
    const kinds = [...changed.keys()].map((k) => k.split(' ')[0]);
    expect(new Set(kinds)).toEqual(new Set(['Deployment']));
    for (const [k, paths] of changed) {
      expect(k).toMatch(/^Deployment bookinfo\//);
      expect(sidecarPaths(paths)).toBe(true);
    }
    // every Deployment of the namespace gets the new release's sidecar
    const deployments = objectsOf(after).filter((m) => m.kind === 'Deployment');
    expect(changed.size).toBe(deployments.length);
    const mesh = releases(synthesizeStacks([after]).json('default-mesh'));
    expect(mesh['istiod-1-29-6'].values.revisionTags).toBeUndefined();
    expect(mesh['istiod-1-30-5'].values.revisionTags).toEqual(['stable', 'canary']);
  });

  test('the namespace moved to the canary tag: exactly its label and its sidecars change', () => {
    const after = canary((istio) => (istio.tag = 'canary'));
    const changed = changes(objectsOf(before), objectsOf(after));
    expect(changed.get('Namespace /bookinfo')).toEqual(['metadata.labels.istio.io/rev']);
    for (const [k, paths] of changed) {
      if (k === 'Namespace /bookinfo') continue;
      expect(k).toMatch(/^Deployment bookinfo\//);
      expect(sidecarPaths(paths)).toBe(true);
    }
    const proxyImages = objectsOf(after)
      .filter((m) => m.kind === 'Deployment')
      .map((d) => {
        const pod = podTemplateOf(d as KubeObject);
        return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === 'istio-proxy')!
          .image;
      });
    expect(new Set(proxyImages)).toEqual(new Set(['docker.io/istio/proxyv2:1.30.5']));
  });
});
