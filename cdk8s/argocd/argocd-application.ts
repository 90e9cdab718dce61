import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ArgoCdConfig } from '../../config';

export interface ArgoCdApplicationProps {
  /** Name of the Application. */
  readonly name: string;
  /** The repository, revision, Argo CD namespace and project, destination server and sync policy. */
  readonly config: ArgoCdConfig;
  /**
   * The folder of plain Kubernetes manifests to deploy, relative to the repository root, such as
   * `dist/cdk8s/default`. Never `dist` itself: it holds Terraform JSON too.
   */
  readonly path: string;
  /** Namespace of the objects the manifests leave without one; created if missing with `createNamespace`. */
  readonly destinationNamespace: string;
}

/**
 * An Argo CD `Application` (argoproj.io/v1alpha1) that syncs one folder of synthesized manifests from git into a
 * cluster. Sync waves on the objects themselves order the sync (see sync-waves.ts).
 */
export class ArgoCdApplication extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    const { config, path } = props;
    const segments = path.split('/');
    if (
      path === '' ||
      path.startsWith('/') ||
      segments.some((s) => s === '' || s === '.' || s === '..') ||
      path === 'dist'
    ) {
      throw new Error(
        `Argo CD application "${props.name}": path "${path}" must be a folder of Kubernetes manifests relative to the ` +
          'repository root, such as dist/cdk8s/default (not the root, and not dist/, which holds Terraform JSON too)',
      );
    }
    const policy = config.syncPolicy;
    const syncOptions = [
      ...(policy.createNamespace ? ['CreateNamespace=true'] : []),
      ...(policy.pruneLast ? ['PruneLast=true'] : []),
    ];
    super(scope, id, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: props.name, namespace: config.namespace },
      spec: {
        project: config.project,
        source: { repoURL: config.repoURL, targetRevision: config.targetRevision, path, directory: { recurse: false } },
        destination: { server: config.server, namespace: props.destinationNamespace },
        syncPolicy: {
          ...(policy.automated && { automated: policy.automated }),
          ...(syncOptions.length > 0 && { syncOptions }),
          retry: {
            limit: policy.retry.limit,
            backoff: {
              duration: policy.retry.duration,
              factor: policy.retry.factor,
              maxDuration: policy.retry.maxDuration,
            },
          },
        },
      },
    });
  }
}
