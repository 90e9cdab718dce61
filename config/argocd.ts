import { z } from 'zod';

/** The repository URL in the committed dist/; set the real one in environments.ts before registering the app. */
export const PLACEHOLDER_REPO_URL = 'https://github.com/your-org/hello-istio.git';

// A Kubernetes namespace name (RFC 1123 label).
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// A duration as Argo CD parses it (Go's time.ParseDuration): 5s, 3m, 1h30m.
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

const duration = (fallback: string) =>
  z.string().regex(DURATION, { error: 'must be a duration such as 5s, 3m or 1h30m' }).default(fallback);

export const argocdSyncPolicySchema = z
  .object({
    /**
     * Sync whenever the repository or the live state changes, `prune` deleting live objects that the output no
     * longer has and `selfHeal` undoing changes made by hand; `false` leaves syncing to a person.
     * @default { prune: true, selfHeal: true }
     */
    automated: z
      .union(
        [
          z.literal(false),
          z.object({ prune: z.boolean().default(true), selfHeal: z.boolean().default(true) }).strict(),
        ],
        { error: 'must be false, or an object such as { prune: true, selfHeal: true }' },
      )
      .default({ prune: true, selfHeal: true }),
    /**
     * Create the destination namespace if it is missing (`CreateNamespace=true`).
     * @default true
     */
    createNamespace: z.boolean().default(true),
    /**
     * Prune only after everything else has synced (`PruneLast=true`): an old version's Deployment goes away after
     * the routes have moved traffic off it.
     * @default true
     */
    pruneLast: z.boolean().default(true),
    /** Retries of a failed sync, with exponential backoff. */
    retry: z
      .object({
        /** @default 5 */
        limit: z.int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).default(5),
        /** First wait. @default '5s' */
        duration: duration('5s'),
        /** Each wait is the previous one times this. @default 2 */
        factor: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).default(2),
        /** Longest wait. @default '3m' */
        maxDuration: duration('3m'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** How Argo CD deploys an environment's Kubernetes output (dist/cdk8s/<env>) from git. */
export const argocdSchema = z
  .object({
    /**
     * The git repository that holds this project (and its committed dist/).
     * @default PLACEHOLDER_REPO_URL
     */
    repoURL: z
      .string()
      .regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, { error: 'must be a git URL: https://..., ssh://... or git@host:path' })
      .default(PLACEHOLDER_REPO_URL),
    /**
     * Branch, tag or commit to deploy.
     * @default 'HEAD' (the repository's default branch)
     */
    targetRevision: z
      .string()
      .regex(/^\S+$/, { error: 'must be a branch, tag or commit without spaces' })
      .default('HEAD'),
    /**
     * Namespace that Argo CD runs in, where the Application object goes.
     * @default 'argocd'
     */
    namespace: z.string().regex(NAMESPACE, { error: 'must be a Kubernetes namespace name' }).default('argocd'),
    /**
     * Argo CD project of the Application.
     * @default 'default'
     */
    project: z.string().regex(NAMESPACE, { error: 'must be an Argo CD project name' }).default('default'),
    /**
     * API server of the cluster to deploy to, as registered in Argo CD.
     * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
     */
    server: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL of a Kubernetes API server' })
      .default('https://kubernetes.default.svc'),
    /** Automated sync, pruning, self-healing, namespace creation and retries. */
    syncPolicy: argocdSyncPolicySchema.prefault({}),
  })
  .strict();

export type ArgoCdConfig = z.output<typeof argocdSchema>;
