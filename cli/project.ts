import { ENVIRONMENTS, type EnvironmentInput } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';

/**
 * What a command works on: a checkout of the project (its dist/, .build/ and README.md) and the environments it is
 * configured with. The commands run on this checkout; tests run them in process on copies with environments of
 * their own.
 */
export interface Project {
  /** The checkout's root folder. */
  readonly root: string;
  /** Its environments, as config/environments.ts lists them (validated by the command that reads them). */
  readonly environments: readonly EnvironmentInput[];
}

/** This checkout, with the environments of its config/environments.ts. */
export const THIS_PROJECT: Project = { root: PROJECT_ROOT, environments: ENVIRONMENTS };
