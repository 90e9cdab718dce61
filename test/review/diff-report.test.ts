import type { DistDiff } from '../../review/dist-diff';
import { formatMarkdown, formatText } from '../../review/diff-report';

const diff: DistDiff = {
  sections: [
    {
      location: 'cdk8s/default',
      title: 'Kubernetes objects of environment default',
      rank: 0,
      entries: [
        {
          status: 'added',
          name: 'VirtualService bookinfo/details',
          file: 'cdk8s/default/0003-routes.k8s.yaml',
          fields: [],
        },
        {
          status: 'changed',
          name: 'VirtualService bookinfo/reviews',
          file: 'cdk8s/default/0003-routes.k8s.yaml',
          fields: [
            { status: 'changed', path: 'spec.http[0].route[0].weight', before: 80, after: 50 },
            { status: 'added', path: 'spec.http[0].match', after: [{ headers: { 'end-user': { regex: 'a|`b`' } } }] },
            { status: 'removed', path: 'spec.http[0].timeout', before: '10s' },
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
    {
      location: '.',
      title: 'Other files',
      rank: 3,
      entries: [{ status: 'removed', name: 'diagrams/old.md', file: 'diagrams/old.md', fields: [] }],
    },
  ],
};

test('text: a summary, then per section one line per object and one per changed field', () => {
  expect(formatText(diff)).toBe(
    [
      'Changes from dist/ to a fresh synth: 1 added, 1 removed, 2 changed.',
      '',
      'Kubernetes objects of environment default (dist/cdk8s/default)',
      '  + VirtualService bookinfo/details  (0003-routes.k8s.yaml)',
      '  ~ VirtualService bookinfo/reviews  (0003-routes.k8s.yaml)',
      '      spec.http[0].route[0].weight: 80 → 50',
      '      + spec.http[0].match: [{"headers":{"end-user":{"regex":"a|`b`"}}}]',
      '      - spec.http[0].timeout: "10s"',
      '',
      'Terraform stack default-gke (dist/cdktf/stacks/default-gke)',
      '  ~ resource google_container_cluster.gke_Cluster',
      '      initial_node_count: 4 → 3',
      '',
      'Other files (dist/)',
      '  - diagrams/old.md',
      '',
      '`npm run synth` writes these changes into dist/; commit them with the change that caused them.',
      '',
    ].join('\n'),
  );
});

test('markdown: a table per section, one row per field, cells that survive pipes and backticks', () => {
  const markdown = formatMarkdown(diff);
  expect(markdown.startsWith('### Synth diff: 1 added, 1 removed, 2 changed\n')).toBe(true);
  const lines = markdown.split('\n');
  expect(lines).toContain('#### Kubernetes objects of environment default (`dist/cdk8s/default`)');
  expect(lines).toContain('| added | `VirtualService bookinfo/details` in `0003-routes.k8s.yaml` | | | |');
  expect(lines).toContain(
    '| changed | `VirtualService bookinfo/reviews` in `0003-routes.k8s.yaml` | `spec.http[0].route[0].weight` | `80` | `50` |',
  );
  expect(lines).toContain('| | | `spec.http[0].match` | | ``[{"headers":{"end-user":{"regex":"a\\|`b`"}}}]`` |');
  expect(lines).toContain('| | | `spec.http[0].timeout` | `"10s"` | |');
  expect(lines).toContain(
    '| changed | `resource google_container_cluster.gke_Cluster` | `initial_node_count` | `4` | `3` |',
  );
  expect(lines).toContain('| removed | `diagrams/old.md` | | | |');
  // every table row has the header's five cells (escaped pipes do not count)
  for (const row of lines.filter((l) => l.startsWith('|'))) {
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
  }
});

test('markdown cuts very long values and says so', () => {
  const long: DistDiff = {
    sections: [
      {
        ...diff.sections[0],
        entries: [
          {
            status: 'changed',
            name: 'X a',
            file: 'cdk8s/default/x.yaml',
            fields: [{ status: 'added', path: 'data', after: 'y'.repeat(500) }],
          },
        ],
      },
    ],
  };
  expect(formatMarkdown(long)).toMatch(/`"y{299}… \(202 more characters\)`/);
  expect(formatText(long)).toContain(`"${'y'.repeat(500)}"`);
});

test('no changes', () => {
  expect(formatText({ sections: [] })).toBe('No changes: dist/ is what the sources synthesize.\n');
  expect(formatMarkdown({ sections: [] })).toBe(
    '### Synth diff: no changes\n\ndist/ is what the sources synthesize.\n',
  );
});

test('two named trees: their names, and no advice to synth', () => {
  const trees = { from: '../base/dist/', to: 'dist/' };
  const text = formatText(diff, { trees });
  expect(text.startsWith('Changes from ../base/dist/ to dist/: 1 added, 1 removed, 2 changed.\n')).toBe(true);
  expect(text).not.toContain('npm run synth');
  expect(formatMarkdown(diff, { trees })).toContain('\nChanges from ../base/dist/ to dist/.\n');
  expect(formatText({ sections: [] }, { trees })).toBe('No changes: ../base/dist/ and dist/ are the same.\n');
});
