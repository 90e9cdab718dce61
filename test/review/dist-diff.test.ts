import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { countChanges, diffTrees } from '../../review/dist-diff';
import { DistReadError } from '../../review/dist-entries';

/** Writes files (relative path -> text, or an object written as YAML/JSON by extension) into a new temp folder. */
function tree(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-diff-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    const text =
      typeof content === 'string'
        ? content
        : file.endsWith('.json')
          ? JSON.stringify(content, null, 2)
          : (content as unknown[]).map((doc) => stringify(doc)).join('---\n');
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo' } };
const reviewsRoute = (v1: number, v2: number) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookinfo' },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
          { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
        ],
      },
    ],
  },
});
const ratingsRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'ratings', namespace: 'bookinfo' },
  spec: { host: 'ratings', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
};
const detailsRoute = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'details', namespace: 'bookinfo' },
  spec: { hosts: ['details'], http: [{ route: [{ destination: { host: 'details', subset: 'v1' } }] }] },
};
const stack = (nodes: number) => ({
  '//': { metadata: { stackName: 'default-gke', version: '0.21.0' } },
  provider: { google: [{ project: 'p', region: 'us-central1' }] },
  resource: { google_container_cluster: { gke_Cluster: { name: 'hello-istio', initial_node_count: nodes } } },
  terraform: {
    backend: { local: { path: 'x.tfstate' } },
    required_providers: { google: { source: 'google', version: '6.50.0' } },
  },
});

const committed = () =>
  tree({
    'cdk8s/default/0000-namespace.k8s.yaml': [namespace],
    'cdk8s/default/0001-routes.k8s.yaml': [reviewsRoute(80, 20), ratingsRule],
    'cdktf/stacks/default-gke/cdk.tf.json': stack(4),
    'diagrams/default.md': '# mesh\n',
  });

test('planted changes are reported exactly: an added object, a removed one, a changed weight, a changed Terraform attribute', () => {
  const synthesized = tree({
    'cdk8s/default/0000-namespace.k8s.yaml': [namespace],
    'cdk8s/default/0001-routes.k8s.yaml': [reviewsRoute(50, 50), detailsRoute],
    'cdktf/stacks/default-gke/cdk.tf.json': stack(3),
    'diagrams/default.md': '# mesh\n',
  });
  const diff = diffTrees(committed(), synthesized);
  expect(diff.sections).toEqual([
    {
      location: 'cdk8s/default',
      title: 'Kubernetes objects of environment default',
      rank: 0,
      entries: [
        {
          status: 'removed',
          name: 'DestinationRule bookinfo/ratings',
          file: 'cdk8s/default/0001-routes.k8s.yaml',
          fields: [],
        },
        {
          status: 'added',
          name: 'VirtualService bookinfo/details',
          file: 'cdk8s/default/0001-routes.k8s.yaml',
          fields: [],
        },
        {
          status: 'changed',
          name: 'VirtualService bookinfo/reviews',
          file: 'cdk8s/default/0001-routes.k8s.yaml',
          fields: [
            { status: 'changed', path: 'spec.http[0].route[0].weight', before: 80, after: 50 },
            { status: 'changed', path: 'spec.http[0].route[1].weight', before: 20, after: 50 },
          ],
        },
      ],
    },
    {
      location: 'cdktf/stacks/default-gke',
      title: 'Terraform stack default-gke',
      rank: 2,
      entries: [
        {
          status: 'changed',
          name: 'resource google_container_cluster.gke_Cluster',
          file: 'cdktf/stacks/default-gke/cdk.tf.json',
          fields: [{ status: 'changed', path: 'initial_node_count', before: 4, after: 3 }],
        },
      ],
    },
  ]);
  expect(countChanges(diff)).toEqual({ added: 1, removed: 1, changed: 2 });
});

test('identical trees have no changes', () => {
  expect(diffTrees(committed(), committed())).toEqual({ sections: [] });
});

test('a missing folder counts as empty: everything is added', () => {
  const diff = diffTrees(path.join(os.tmpdir(), 'no-such-dist-folder'), committed());
  // 3 Kubernetes objects, 5 Terraform blocks (metadata, provider, resource, backend, required_providers), 1 file
  expect(countChanges(diff)).toEqual({ added: 9, removed: 0, changed: 0 });
  expect(diff.sections.map((s) => s.location)).toEqual(['cdk8s/default', 'cdktf/stacks/default-gke', '.']);
});

describe('Terraform blocks are identified by stack, block type and name', () => {
  const entryNames = (before: object, after: object) =>
    diffTrees(
      tree({ 'cdktf/stacks/s/cdk.tf.json': before }),
      tree({ 'cdktf/stacks/s/cdk.tf.json': after }),
    ).sections.flatMap((s) => s.entries.map((e) => `${e.status} ${e.name}`));

  test('data sources, outputs, providers by alias, the backend and terraform settings', () => {
    const before = {
      data: { google_client_config: { current: {} } },
      output: { endpoint: { value: 'a' } },
      provider: { google: [{ project: 'p' }, { alias: 'beta', project: 'p' }] },
      terraform: { backend: { local: { path: 'a' } }, required_version: '>= 1.5' },
    };
    const after = {
      data: { google_client_config: { other: {} } },
      output: { endpoint: { value: 'b' } },
      provider: { google: [{ project: 'p' }, { alias: 'beta', project: 'q' }] },
      terraform: { backend: { gcs: { bucket: 'b' } }, required_version: '>= 1.5' },
    };
    expect(entryNames(before, after)).toEqual([
      'added backend gcs',
      'removed backend local',
      'removed data google_client_config.current',
      'added data google_client_config.other',
      'changed output endpoint',
      'changed provider google.beta',
    ]);
  });

  test('a new stack lists its blocks as added', () => {
    const diff = diffTrees(tree({}), tree({ 'cdktf/stacks/new-gke/cdk.tf.json': stack(1) }));
    expect(diff.sections[0].title).toBe('Terraform stack new-gke');
    expect(diff.sections[0].entries.map((e) => e.name)).toEqual([
      'backend local',
      'cdktf metadata (//)',
      'provider google',
      'resource google_container_cluster.gke_Cluster',
      'terraform required_providers',
    ]);
  });
});

describe('nothing slips through', () => {
  test('an object moved to another file is a change of its (file)', () => {
    const synthesized = tree({
      'cdk8s/default/0000-namespace.k8s.yaml': [namespace, ratingsRule],
      'cdk8s/default/0001-routes.k8s.yaml': [reviewsRoute(80, 20)],
      'cdktf/stacks/default-gke/cdk.tf.json': stack(4),
      'diagrams/default.md': '# mesh\n',
    });
    const [section] = diffTrees(committed(), synthesized).sections;
    expect(section.entries).toEqual([
      {
        status: 'changed',
        name: 'DestinationRule bookinfo/ratings',
        file: 'cdk8s/default/0000-namespace.k8s.yaml',
        fields: [
          {
            status: 'changed',
            path: '(file)',
            before: 'cdk8s/default/0001-routes.k8s.yaml',
            after: 'cdk8s/default/0000-namespace.k8s.yaml',
          },
        ],
      },
    ]);
  });

  test('reordered objects and reformatted JSON are listed as file changes', () => {
    const synthesized = tree({
      'cdk8s/default/0000-namespace.k8s.yaml': [namespace],
      'cdk8s/default/0001-routes.k8s.yaml': [ratingsRule, reviewsRoute(80, 20)],
      'cdktf/stacks/default-gke/cdk.tf.json': JSON.stringify(stack(4)),
      'diagrams/default.md': '# mesh\n',
    });
    expect(diffTrees(committed(), synthesized).sections.flatMap((s) => s.entries)).toEqual([
      {
        status: 'changed',
        name: 'cdk8s/default/0001-routes.k8s.yaml',
        file: 'cdk8s/default/0001-routes.k8s.yaml',
        fields: [],
        note: 'no object in it changed: their order or formatting did',
      },
      {
        status: 'changed',
        name: 'cdktf/stacks/default-gke/cdk.tf.json',
        file: 'cdktf/stacks/default-gke/cdk.tf.json',
        fields: [],
        note: 'no object in it changed: their order or formatting did',
      },
    ]);
  });

  test('other files: added, removed and changed; JSON ones field by field', () => {
    const before = tree({ 'diagrams/default.md': 'a', 'gone.txt': 'x', 'cdktf/manifest.json': { version: '0.20.0' } });
    const after = tree({ 'diagrams/default.md': 'b', 'new.txt': 'y', 'cdktf/manifest.json': { version: '0.21.0' } });
    expect(diffTrees(before, after).sections).toEqual([
      expect.objectContaining({
        title: 'Other files',
        entries: [
          {
            status: 'changed',
            name: 'cdktf/manifest.json',
            file: 'cdktf/manifest.json',
            fields: [{ status: 'changed', path: 'version', before: '0.20.0', after: '0.21.0' }],
          },
          { status: 'changed', name: 'diagrams/default.md', file: 'diagrams/default.md', fields: [] },
          { status: 'removed', name: 'gone.txt', file: 'gone.txt', fields: [] },
          { status: 'added', name: 'new.txt', file: 'new.txt', fields: [] },
        ],
      }),
    ]);
  });

  test('an empty manifest file is a file of its own', () => {
    const diff = diffTrees(tree({}), tree({ 'cdk8s/default/0009-empty.k8s.yaml': '' }));
    expect(diff.sections[0].entries).toEqual([
      {
        status: 'added',
        name: 'cdk8s/default/0009-empty.k8s.yaml',
        file: 'cdk8s/default/0009-empty.k8s.yaml',
        fields: [],
        note: 'holds no objects',
      },
    ]);
  });

  test('Argo CD applications are Kubernetes objects of their own section', () => {
    const app = (revision: string) => [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'a', namespace: 'argocd' },
        spec: { source: { targetRevision: revision } },
      },
    ];
    const [section] = diffTrees(
      tree({ 'argocd/default.yaml': app('main') }),
      tree({ 'argocd/default.yaml': app('v2') }),
    ).sections;
    expect(section.title).toBe('Argo CD applications');
    expect(section.entries[0]).toMatchObject({
      name: 'Application argocd/a',
      fields: [{ path: 'spec.source.targetRevision', before: 'main', after: 'v2' }],
    });
  });
});

describe('bad input is an error naming the file', () => {
  test('invalid YAML', () => {
    const bad = tree({ 'cdk8s/default/0000-namespace.k8s.yaml': 'kind: [unclosed\n' });
    expect(() => diffTrees(bad, committed())).toThrow(DistReadError);
    expect(() => diffTrees(bad, committed())).toThrow(
      /cdk8s\/default\/0000-namespace.k8s.yaml: document 1 is not valid YAML/,
    );
  });

  test('a document that is not a Kubernetes object', () => {
    const bad = tree({ 'cdk8s/default/0000-namespace.k8s.yaml': 'just: a map\n' });
    expect(() => diffTrees(bad, committed())).toThrow(
      /document 1 is not a Kubernetes object with apiVersion, kind and metadata.name/,
    );
  });

  test('an object written twice', () => {
    const bad = tree({ 'cdk8s/default/0000-a.k8s.yaml': [namespace], 'cdk8s/default/0001-b.k8s.yaml': [namespace] });
    expect(() => diffTrees(bad, committed())).toThrow(
      'cdk8s/default/0001-b.k8s.yaml: Namespace bookinfo is written twice (also in cdk8s/default/0000-a.k8s.yaml)',
    );
  });

  test('invalid Terraform JSON', () => {
    const bad = tree({ 'cdktf/stacks/default-gke/cdk.tf.json': '{' });
    expect(() => diffTrees(committed(), bad)).toThrow(/cdktf\/stacks\/default-gke\/cdk.tf.json: is not valid JSON/);
  });
});
