import type { Manifest } from '../kube/object';
import { analyzeManifests } from './analyzer';
import { formatFinding, type Finding } from './finding';
import type { MeshContext } from './mesh-context';

/** Validation or analysis found errors: the manifests must not ship. */
export class MeshVerificationError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    const errors = findings.filter((f) => f.level === 'error');
    super(
      `${errors.length} error(s) from schema validation and mesh analysis:\n${errors.map((f) => `  ${formatFinding(f)}`).join('\n')}`,
    );
    this.name = 'MeshVerificationError';
  }
}

/**
 * The synth's gate: validates and analyzes an environment's manifests, throws MeshVerificationError if anything is
 * an error, and returns the warnings, one line each (infos are left to `npm run analyze`).
 */
export function verifyManifests(manifests: readonly Manifest[], context: MeshContext): string[] {
  const findings = analyzeManifests(manifests, context);
  if (findings.some((f) => f.level === 'error')) throw new MeshVerificationError(findings);
  return findings.filter((f) => f.level === 'warning').map(formatFinding);
}
