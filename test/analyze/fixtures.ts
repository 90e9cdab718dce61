import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { callGraphSchema } from '../../analyze/call-graph';
import { parseManifests } from '../../kube/manifest-reader';
import { ISTIOCTL_INGRESS_GATEWAY, type MeshContext } from '../../analyze/mesh-context';
import type { Manifest } from '../../kube/object';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** The manifests of a YAML file under fixtures/. */
export function fixture(file: string): Manifest[] {
  return parseManifests(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), file).map((m) => m.manifest);
}

/**
 * The context the per-code fixtures are analyzed in, the tests' own: auto injection, the ingress gateway of a default
 * Istio install (istio-system), and a call graph if the code's folder has one.
 */
export function fixtureContext(code: string): MeshContext {
  const graph = path.join(FIXTURES, code, 'call-graph.yaml');
  return {
    injection: 'auto',
    ingressGateways: [ISTIOCTL_INGRESS_GATEWAY],
    ...(fs.existsSync(graph) ? { callGraph: callGraphSchema.parse(parse(fs.readFileSync(graph, 'utf8'))) } : {}),
  };
}
