import { analyzeManifests } from '../../cdk8s/analyze/analyzer';
import { formatFinding } from '../../cdk8s/analyze/finding';
import { MESH_PROFILES } from '../../config';
import { generatedMesh } from '../helpers/generated-mesh';

// The generated mesh that performance is measured on (issue 9) must be a mesh the analyzer accepts as it is, so
// that a measurement times the full set of checks on valid input rather than a pile of findings.
test('a generated mesh of 200 services with three versions each analyzes clean', () => {
  const { manifests, callGraph } = generatedMesh(200);
  expect(manifests).toHaveLength(4 + 200 * 8);
  const findings = analyzeManifests(manifests, { injection: 'manual', ingressGateways: [MESH_PROFILES['istio-helm'].ingressGateway], callGraph });
  expect(findings.map(formatFinding)).toEqual([]);
});
