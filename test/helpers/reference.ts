import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../pipeline/project-root';

/** Upstream Istio and Kubernetes files beside the checkout: this project's CI has them, a fork's CI may not. */
export const REFERENCE_DIR = path.join(PROJECT_ROOT, '..', 'shared', 'reference');

/**
 * `describe` for tests that compare with the reference files, skipped (and reported as skipped) where they are
 * absent. Read the files in tests or `beforeAll`, which a skipped block never runs.
 */
export const describeWithReference = describe.skipIf(!fs.existsSync(REFERENCE_DIR));

/** A reference file's text, by its path inside ../shared/reference. */
export function readReference(file: string): string {
  return fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8');
}
