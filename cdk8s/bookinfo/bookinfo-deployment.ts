import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { BookinfoWorkload, ContainerResources } from '../../config';
import type { HealthEndpoint, UpstreamWorkload } from './upstream-workloads';

export interface BookinfoDeploymentProps {
  /** Names and labels: Deployment `<app>-<version>`, labels `app` and `version`, its ServiceAccount. */
  readonly workload: BookinfoWorkload;
  /** Image, env, volumes, user and health endpoint of the upstream image. */
  readonly upstream: UpstreamWorkload;
  /** The port the container listens on. */
  readonly port: number;
  /** Replicas; two or more also get a PodDisruptionBudget. */
  readonly replicas: number;
  readonly resources: ContainerResources;
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
   * Annotations added to the pods, beside upstream's.
   * @default {}
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/**
 * One version of a Bookinfo app: a Deployment shaped like upstream's, hardened to the Pod Security Standards'
 * restricted level, and a PodDisruptionBudget when it runs two or more replicas.
 *
 * Built on the `k8s` L1 classes rather than cdk8s-plus's Deployment, which always adds a `cdk8s.io/metadata.addr` pod
 * label and its own defaults (strategy, probes, resources, dnsPolicy, fsGroupChangePolicy...): the L1 output is
 * exactly what is written here, field for field comparable with upstream's manifest.
 */
export class BookinfoDeployment extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  /** Present when replicas >= 2. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: BookinfoDeploymentProps) {
    super(scope, id);
    const { workload, upstream, port, replicas } = props;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new Error(`${workload.deployment}: replicas = ${replicas}: must be a whole number, 0 or more`);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${workload.deployment}: port = ${port}: must be a port number from 1 to 65535`);
    }
    const selector = { app: workload.app, version: workload.version };
    const labels = { ...props.labels, ...selector };
    const annotations = props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined;
    const podAnnotations = { ...props.podAnnotations, ...upstream.podAnnotations };

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: workload.deployment, labels, annotations },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined },
          spec: {
            serviceAccountName: workload.serviceAccount,
            // Also at pod level so that containers added later (the Istio sidecar) run under seccomp too.
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: workload.app,
                image: upstream.image,
                imagePullPolicy: 'IfNotPresent',
                env: upstream.env.length > 0 ? [...upstream.env] : undefined,
                ports: [{ containerPort: port }],
                resources: resourceRequirements(props.resources),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  runAsNonRoot: true,
                  runAsUser: upstream.runAsUser,
                  readOnlyRootFilesystem: upstream.readOnlyRootFilesystem,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                ...(upstream.health ? probes(upstream.health, port) : {}),
                volumeMounts:
                  upstream.emptyDirs.length > 0 ? upstream.emptyDirs.map(({ name, mountPath }) => ({ name, mountPath })) : undefined,
              },
            ],
            volumes: upstream.emptyDirs.length > 0 ? upstream.emptyDirs.map(({ name }) => ({ name, emptyDir: {} })) : undefined,
          },
        },
      },
    });

    if (replicas >= 2) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: workload.deployment, labels, annotations },
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
function probes(health: HealthEndpoint, port: number): Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
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
