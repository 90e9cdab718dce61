import { isJsonObject, type FieldPath, type KubeObject, type ObjectMeta, type PodSpec } from './object';

/**
 * The kinds `istioctl kube-inject` injects (its injectScheme), with their group version and where each keeps the pod
 * it runs. kube-inject registers them as unversioned types too (pkg/kube/inject/initializer.go:
 * `AddUnversionedTypes`), and apimachinery's Scheme.New finds an unversioned type by its kind alone, so a workload
 * of an old group version (extensions/v1beta1 Deployment, say) is injected all the same. Anything else passes
 * through unchanged.
 */
const WORKLOADS: ReadonlyMap<string, { readonly groupVersion: string; readonly template: FieldPath }> = new Map([
  ['Pod', { groupVersion: 'v1', template: [] }],
  ['ReplicationController', { groupVersion: 'v1', template: ['spec', 'template'] }],
  ['Deployment', { groupVersion: 'apps/v1', template: ['spec', 'template'] }],
  ['DaemonSet', { groupVersion: 'apps/v1', template: ['spec', 'template'] }],
  ['ReplicaSet', { groupVersion: 'apps/v1', template: ['spec', 'template'] }],
  ['StatefulSet', { groupVersion: 'apps/v1', template: ['spec', 'template'] }],
  ['Job', { groupVersion: 'batch/v1', template: ['spec', 'template'] }],
  ['CronJob', { groupVersion: 'batch/v1', template: ['spec', 'jobTemplate', 'spec', 'template'] }],
]);

/** The workload kinds, as `apiVersion/kind` of their current group version; the analyzer, the diagram and the injector all read this list. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(
  [...WORKLOADS].map(([kind, { groupVersion }]) => `${groupVersion}/${kind}`),
);

/** Where a workload kind keeps its pod template (`[]` for a Pod), or undefined for any other kind. */
export function podTemplatePathOf(obj: {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
}): FieldPath | undefined {
  return typeof obj.apiVersion === 'string' ? WORKLOADS.get(String(obj.kind))?.template : undefined;
}

/** A workload's pod as injection sees it, with the identity the sidecar reports for it. */
export interface PodTemplate {
  /** The metadata injection reads and rewrites: the pod's, the pod template's, or (CronJob) the job template's. */
  readonly metadata: ObjectMeta;
  readonly spec: PodSpec;
  /** Kind and apiVersion of the owning workload (`ISTIO_META_OWNER`). */
  readonly owner: { readonly apiVersion: string; readonly kind: string };
  /** Name and namespace of the owning workload (`ISTIO_META_WORKLOAD_NAME`, canonical name fallback). */
  readonly workload: { readonly name: string; readonly namespace: string };
  /** How messages name the object, e.g. `Deployment "bookinfo/reviews-v1"`. */
  readonly description: string;
  /** Writes injected metadata and spec back into the object. */
  replace(metadata: ObjectMeta, spec: PodSpec): void;
}

/** A workload with no pod to inject into. */
export class MissingPodTemplateError extends Error {
  constructor(description: string, field: string) {
    super(`${description} has no pod template: ${field} is missing or not an object`);
    this.name = 'MissingPodTemplateError';
  }
}

/** A workload's kind as `apiVersion/kind` of its current group version (as kube-inject decodes it). */
export function kindKey(obj: KubeObject): string {
  const workload = WORKLOADS.get(String(obj.kind));
  return workload ? `${workload.groupVersion}/${obj.kind}` : `${obj.apiVersion}/${obj.kind}`;
}

export function isWorkload(obj: KubeObject): boolean {
  return podTemplatePathOf(obj) !== undefined;
}

/** The pod template of a workload kind; throws MissingPodTemplateError when the object has none. */
export function podTemplateOf(obj: KubeObject): PodTemplate {
  const apiVersion = String(obj.apiVersion);
  const kind = String(obj.kind);
  const metadata = isJsonObject(obj.metadata) ? (obj.metadata as ObjectMeta) : {};
  const name = metadata.name ?? '';
  const namespace = metadata.namespace ?? '';
  const description = `${kind} "${namespace ? `${namespace}/` : ''}${name}"`;
  const spec = obj.spec;

  if (kind === 'Pod') {
    if (!isJsonObject(spec)) throw new MissingPodTemplateError(description, 'spec');
    const { workload, owner } = deployMetaOfPod(metadata);
    return {
      metadata,
      spec: checkedPodSpec(spec, description, 'spec'),
      owner,
      workload,
      description,
      replace(newMetadata, newSpec) {
        obj.metadata = newMetadata;
        obj.spec = newSpec;
      },
    };
  }
  if (!isJsonObject(spec)) throw new MissingPodTemplateError(description, 'spec');
  // A CronJob's injected metadata goes on the job template, as istioctl does it
  let holder = spec;
  let metadataHolder = spec.template as Record<string, unknown> | undefined;
  let field = 'spec.template';
  if (kind === 'CronJob') {
    const jobTemplate = spec.jobTemplate;
    if (!isJsonObject(jobTemplate) || !isJsonObject(jobTemplate.spec)) {
      throw new MissingPodTemplateError(description, 'spec.jobTemplate.spec.template');
    }
    metadataHolder = jobTemplate;
    holder = jobTemplate.spec;
    field = 'spec.jobTemplate.spec.template';
  }
  const template = holder.template;
  if (!isJsonObject(template) || !isJsonObject(template.spec)) throw new MissingPodTemplateError(description, field);
  const target = metadataHolder as Record<string, unknown>;
  return {
    metadata: isJsonObject(target.metadata) ? (target.metadata as ObjectMeta) : {},
    spec: checkedPodSpec(template.spec, description, `${field}.spec`),
    owner: { apiVersion, kind },
    workload: { name, namespace },
    description,
    replace(newMetadata, newSpec) {
      target.metadata = newMetadata;
      template.spec = newSpec;
    },
  };
}

function checkedPodSpec(spec: Record<string, unknown>, description: string, field: string): PodSpec {
  if (!Array.isArray(spec.containers) || !spec.containers.every((c) => isJsonObject(c) && typeof c.name === 'string')) {
    throw new MissingPodTemplateError(description, `${field}.containers (a list of named containers)`);
  }
  return spec as unknown as PodSpec;
}

/** `kube.GetDeployMetaFromPod`: which workload a bare pod belongs to, from its name and controller reference. */
function deployMetaOfPod(metadata: ObjectMeta): Pick<PodTemplate, 'workload' | 'owner'> {
  const workload = { name: metadata.name ?? '', namespace: metadata.namespace ?? '' };
  const owner = { apiVersion: 'v1', kind: 'Pod' };
  const controller = metadata.generateName
    ? metadata.ownerReferences?.find((ref) => ref.controller === true)
    : undefined;
  if (controller) {
    owner.apiVersion = controller.apiVersion;
    owner.kind = controller.kind;
    workload.name = controller.name;
    const labels = metadata.labels ?? {};
    const hash = labels['pod-template-hash'];
    const rolloutHash = labels['rollouts-pod-template-hash'];
    const cronJob = /^(.+)-\d{8,10}$/.exec(controller.name);
    if (controller.kind === 'ReplicaSet' && hash && controller.name.endsWith(hash)) {
      workload.name = trimSuffix(controller.name, `-${hash}`);
      owner.kind = 'Deployment';
    } else if (controller.kind === 'ReplicaSet' && rolloutHash && controller.name.endsWith(rolloutHash)) {
      workload.name = trimSuffix(controller.name, `-${rolloutHash}`);
      owner.kind = 'Rollout';
      owner.apiVersion = 'v1alpha1';
    } else if (controller.kind === 'ReplicationController' && labels.deploymentconfig) {
      workload.name = labels.deploymentconfig;
      owner.kind = 'DeploymentConfig';
    } else if (controller.kind === 'Job' && cronJob) {
      workload.name = cronJob[1];
      owner.kind = 'CronJob';
      owner.apiVersion = 'batch/v1';
    }
  }
  if (workload.name === '') workload.name = metadata.name ?? '';
  return { workload, owner };
}

function trimSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
}
