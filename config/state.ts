import { z } from 'zod';

/** Where Terraform keeps the state of an environment's stacks. */
export const STATE_BACKENDS = ['local', 'gcs'] as const;

const localState = z
  .object({
    /**
     * A local file per stack, at `terraform.tfstate.d/<stack>.tfstate` under the project root, referenced by a
     * relative path so that dist/ is the same on every machine. For one person trying things out.
     */
    backend: z.literal('local'),
  })
  .strict();

const gcsState = z
  .object({
    /** A Cloud Storage bucket shared by the team, with object versioning (state history) and locking. */
    backend: z.literal('gcs'),
    /** The bucket; it must exist before the first deploy. */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, {
      error: 'must be a Cloud Storage bucket name: 3 to 63 lowercase letters, digits, "-", "_" or "."',
    }),
    /**
     * Folder in the bucket; each stack's state lands in `<prefix>/<stack>`.
     * @default 'hello-istio'
     */
    prefix: z
      .string()
      .regex(/^[\w.-]+(\/[\w.-]+)*$/, {
        error: 'must be a relative object path such as teams/mesh, without a trailing "/"',
      })
      .default('hello-istio'),
  })
  .strict();

export const stateSchema = z.discriminatedUnion('backend', [localState, gcsState], {
  error: `must say which backend keeps the state: { backend: ${STATE_BACKENDS.map((b) => `'${b}'`).join(' | ')} }`,
});

export type StateConfig = z.output<typeof stateSchema>;
