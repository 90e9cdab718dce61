import { analyzeManifests } from '../../analyze/analyzer';
import { callGraphSchema } from '../../analyze/call-graph';
import type { Manifest } from '../../kube/object';
import { MESH_PROFILES } from '../../config';
import { parse } from 'yaml';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, fixture } from './fixtures';

// Input from files can be anything. Whatever a field holds, the analyzer reports (schema validation says what is
// wrong) and does not crash: every field of one object of each kind of the Bookinfo fixture, down to six levels,
// is replaced in turn by a value of each JSON type.

const bookinfo = [
  'bookinfo.yaml',
  'bookinfo-gateway.yaml',
  'destination-rule-all.yaml',
  'virtual-service-reviews-50-v3.yaml',
  'security.yaml',
].flatMap((file) => fixture(path.join('bookinfo', file)));
const context = {
  ingressGateways: [MESH_PROFILES['istio-helm'].ingressGateway],
  callGraph: callGraphSchema.parse(parse(fs.readFileSync(path.join(FIXTURES, 'bookinfo', 'call-graph.yaml'), 'utf8'))),
};

function paths(node: unknown, depth: number, at: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = [...at, Array.isArray(node) ? Number(key) : key];
    return [here, ...paths(value, depth - 1, here)];
  });
}

function withValue(manifest: Manifest, at: (string | number)[], value: unknown): Manifest {
  const copy = structuredClone(manifest) as Record<string | number, unknown>;
  const parent = at
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  parent[at[at.length - 1]] = value;
  return copy as Manifest;
}

const samples = [...new Map(bookinfo.map((m) => [m.kind, m])).values()];

test.each(samples.map((m) => [m.kind, m]))(
  '%s: any field of another type or value is analyzed without a crash',
  (_kind, sample) => {
    let runs = 0;
    for (const at of paths(sample, 6).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind')) {
      for (const value of [42, 'x', null, [], { x: 1 }]) {
        const manifests = bookinfo.map((m) => (m === sample ? withValue(m, at, value) : m));
        expect(() => analyzeManifests(manifests, context)).not.toThrow();
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(10);
  },
);
