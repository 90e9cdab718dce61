import { synthesizeScaleMesh } from '../../bench/scale-mesh';

// The generated mesh that performance is measured on (bench/, issue 9) must go through the whole pipeline and be a
// mesh the analyzer accepts as it is, so that a measurement times the full set of checks on valid input rather than a
// pile of findings.
test('a generated mesh of 20 services with three versions each is injected, validated and analyzed clean', () => {
  const result = synthesizeScaleMesh(20);
  expect(result.objects).toBe(4 + 20 * 8);
  // No warnings also means every pod got its sidecar: a pod without one under manual injection is IST0103.
  expect(result.warnings).toEqual([]);
  expect(result.yamlBytes).toBeGreaterThan(20 * 8 * 1000);
});
