import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HELM_RESOURCE_POLICY_ANNOTATION, keepOnUninstall } from '../../cli/crd-chart';
import { CARRIED_GATEWAY_API_RELEASES, gatewayApiChartDir } from '../../config';
import { PROJECT_ROOT } from '../../pipeline/project-root';

const SAMPLE = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    gateway.networking.k8s.io/bundle-version: v1.5.1
  name: gateways.gateway.networking.k8s.io
spec:
  versions:
  - name: v1
    schema:
      openAPIV3Schema:
        description: |-
          a folded
          description
---
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    a: b
  name: not-a-crd
`;

describe('keepOnUninstall', () => {
  const kept = keepOnUninstall(SAMPLE);

  test('adds helm.sh/resource-policy: keep as the first annotation of each CRD, one line, the rest as written', () => {
    const added = kept.split('\n').filter((line) => !SAMPLE.split('\n').includes(line));
    expect(added).toEqual(['    helm.sh/resource-policy: keep']);
    expect(kept.replace('    helm.sh/resource-policy: keep\n', '')).toBe(SAMPLE);
    const [crd, other] = parseAllDocuments(kept).map((d) => d.toJS());
    expect(Object.keys(crd.metadata.annotations)[0]).toBe(HELM_RESOURCE_POLICY_ANNOTATION);
    expect(crd.metadata.annotations[HELM_RESOURCE_POLICY_ANNOTATION]).toBe('keep');
    expect(other.metadata.annotations).toEqual({ a: 'b' });
  });

  test('is idempotent', () => {
    expect(keepOnUninstall(kept)).toBe(kept);
  });

  test('a CRD without annotations is an error naming it', () => {
    expect(() => keepOnUninstall('kind: CustomResourceDefinition\nmetadata:\n  name: foos.example.com\n')).toThrow(
      /CRD foos\.example\.com has no block map of metadata\.annotations to add helm\.sh\/resource-policy to/,
    );
  });
});

test.each(CARRIED_GATEWAY_API_RELEASES)(
  "every CRD of the project's Gateway API %s chart is kept when the Helm release is uninstalled",
  (release) => {
    const file = path.join(PROJECT_ROOT, gatewayApiChartDir(release), 'templates', 'standard-install.yaml');
    const crds = parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map((d) => d.toJS())
      .filter((d) => d?.kind === 'CustomResourceDefinition');
    expect(crds.length).toBeGreaterThanOrEqual(5);
    for (const crd of crds) {
      expect([crd.metadata.name, crd.metadata.annotations[HELM_RESOURCE_POLICY_ANNOTATION]]).toEqual([
        crd.metadata.name,
        'keep',
      ]);
    }
  },
);
