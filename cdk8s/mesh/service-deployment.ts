import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ContainerResources, EmptyDirMount, EnvVarRecord, HealthProbe } from '../../config/services';

export interface ServiceDeploymentProps {
  /** The `app` label (the Service that selects the pods) and the container's name. */
  readonly app: string;
  /** The `version` label, which a DestinationRule subset selects. */
  readonly version: string;
  /**
   * The Deployment's name.
   * @default `<app>-<version>`
   */
  readonly name?: string;
  /** The container image. */
  readonly image: string;
  /** The ServiceAccount the pods run as: their mesh identity. */
  readonly serviceAccountName: string;
  /** Ports the container listens on; the first is probed. */
  readonly ports: readonly number[];
  /** Replicas; two or more also get a PodDisruptionBudget. */
  readonly replicas: number;
  readonly resources: ContainerResources;
  /** @default [] */
  readonly env?: readonly EnvVarRecord[];
  /**
   * Start-up, readiness and liveness checks on this HTTP path of the first port.
   * @default - no probes
   */
  readonly probes?: HealthProbe;
  /**
   * Writable emptyDir volumes.
   * @default []
   */
  readonly emptyDirs?: readonly EmptyDirMount[];
  /**
   * The user the container runs as (never root).
   * @default - the image's own user, which must not be root (runAsNonRoot is always set)
   */
  readonly runAsUser?: number;
  /**
   * Mount the root filesystem read-only; give `emptyDirs` for the paths the app writes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Labels added to the Deployment, its pods and its PodDisruptionBudget (never to selectors).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations added to the Deployment and its PodDisruptionBudget.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Annotations added to the pods.
   * @default {}
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/**
 * One version of a service: a Deployment hardened to the Pod Security Standards' restricted level, and a
 * PodDisruptionBudget when it runs two or more replicas.
 *
 * Built on the `k8s` L1 classes rather than cdk8s-plus's Deployment, which always adds a `cdk8s.io/metadata.addr` pod
 * label and its own defaults (strategy, probes, resources, dnsPolicy, fsGroupChangePolicy...): the L1 output is
 * exactly what is written here, field for field comparable with upstream Bookinfo's manifest.
 */
export class ServiceDeployment extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  /** Present when replicas >= 2. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: ServiceDeploymentProps) {
    super(scope, id);
    const { app, version, replicas, ports } = props;
    const name = props.name ?? `${app}-${version}`;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new Error(`${name}: replicas = ${replicas}: must be a whole number, 0 or more`);
    }
    if (ports.length === 0) throw new Error(`${name}: ports is empty: give the port the container listens on`);
    for (const port of ports) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${name}: port = ${port}: must be a port number from 1 to 65535`);
      }
    }
    if (props.runAsUser !== undefined && (!Number.isInteger(props.runAsUser) || props.runAsUser < 1)) {
      throw new Error(`${name}: runAsUser = ${props.runAsUser}: must be a non-root user id, 1 or more`);
    }
    const selector = { app, version };
    const labels = { ...props.labels, ...selector };
    const annotations =
      props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined;
    const podAnnotations = { ...props.podAnnotations };
    const env = props.env ?? [];
    const emptyDirs = props.emptyDirs ?? [];

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, labels, annotations },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined },
          spec: {
            serviceAccountName: props.serviceAccountName,
            // Also at pod level so that containers added later (the Istio sidecar) run under seccomp too.
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: app,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                env: env.length > 0 ? env.map((e) => ({ ...e })) : undefined,
                ports: ports.map((containerPort) => ({ containerPort })),
                resources: resourceRequirements(props.resources),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  runAsNonRoot: true,
                  runAsUser: props.runAsUser,
                  readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                ...(props.probes ? probes(props.probes, ports[0]) : {}),
                volumeMounts:
                  emptyDirs.length > 0 ? emptyDirs.map(({ name, mountPath }) => ({ name, mountPath })) : undefined,
              },
            ],
            volumes: emptyDirs.length > 0 ? emptyDirs.map(({ name }) => ({ name, emptyDir: {} })) : undefined,
          },
        },
      },
    });

    if (replicas >= 2) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name, labels, annotations },
        spec: {
          // One pod at a time may be evicted (node drains, upgrades); the others keep serving.
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: selector },
          // A pod that is not ready serves nothing: evicting it must not block a drain.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }
  }
}

function resourceRequirements({ requests, limits }: ContainerResources): k8s.ResourceRequirements {
  const quantities = (r: ContainerResources['requests']) => ({
    cpu: k8s.Quantity.fromString(`${r.cpuMillicores}m`),
    memory: k8s.Quantity.fromString(`${r.memoryMebibytes}Mi`),
  });
  return { requests: quantities(requests), limits: quantities(limits) };
}

/**
 * Start-up, readiness and liveness checks on the app's health endpoint. The start-up probe allows the slow start;
 * liveness then restarts an app that stops answering for 30 s, readiness takes it out of its Service after 15 s.
 */
function probes(
  health: HealthProbe,
  port: number,
): Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const httpGet = { path: health.path, port: k8s.IntOrString.fromNumber(port) };
  const startupPeriod = 5;
  return {
    startupProbe: {
      httpGet,
      periodSeconds: startupPeriod,
      timeoutSeconds: 2,
      failureThreshold: Math.ceil(health.startupSeconds / startupPeriod),
    },
    readinessProbe: { httpGet, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
    livenessProbe: { httpGet, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
  };
}
