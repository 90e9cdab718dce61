import * as os from 'node:os';
import { App, Chart, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { CallGraph } from '../analyze/call-graph';
import { verifyManifests } from '../analyze/verify';
import { sidecarInjectorFor } from '../inject/injection-pass';
import { injectionNamespaceLabels } from '../inject/namespace-labels';
import type { Manifest } from '../kube/object';
import { DestinationRule, Gateway, VirtualService } from '../imports/networking.istio.io';
import {
  AuthorizationPolicy,
  AuthorizationPolicySpecAction,
  PeerAuthentication,
  PeerAuthenticationSpecMtlsMode,
} from '../imports/security.istio.io';
import { loadEnvironments, sidecarInjection, type Environment } from '../config';
import { writeYamlStream } from '../kube/yaml-writer';

const VERSIONS = ['v1', 'v2', 'v3'] as const;
const WEIGHTS = [50, 30, 20];
const PORT = 9080;

export interface ScaleMeshChartProps extends ChartProps {
  /** Number of services; each runs three versions. */
  readonly services: number;
  /** The environment whose namespace, ingress gateway and injection settings the mesh uses. */
  readonly env: Environment;
}

/**
 * A generated mesh for the scale benchmark (issue 9), shaped like Bookinfo: per service a ServiceAccount, a Service,
 * three hardened Deployments, a DestinationRule with a subset per version, a VirtualService that sends `end-user:
 * jason` to v2 and splits the rest 50/30/20, and an ALLOW policy for its one caller; a call graph in which the ingress
 * gateway calls the first service and each service calls the next. Built with the same cdk8s classes as the charts.
 */
export class ScaleMeshChart extends Chart {
  /** The declared call graph, as the analyzer reads it. */
  public readonly callGraph: CallGraph;

  constructor(scope: Construct, id: string, props: ScaleMeshChartProps) {
    super(scope, id, { ...props, namespace: props.env.namespace });
    const { env } = props;
    const ns = env.namespace;
    const gateway = env.ingressGateway;
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: ns, labels: injectionNamespaceLabels({ mode: env.injection.mode, cni: env.injection.cni }) },
    });
    new PeerAuthentication(this, 'mtls', {
      metadata: { name: 'default' },
      spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
    });
    new AuthorizationPolicy(this, 'allow-nothing', { metadata: { name: 'allow-nothing' }, spec: {} });
    new Gateway(this, 'gateway', {
      metadata: { name: 'gateway' },
      spec: {
        selector: { ...gateway.labels },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    });

    const edges: CallGraph['edges'][number][] = [];
    for (let i = 0; i < props.services; i++) {
      const name = `svc-${i}`;
      const caller =
        i === 0
          ? { namespace: gateway.namespace, serviceAccount: gateway.serviceAccount }
          : { namespace: ns, serviceAccount: `svc-${i - 1}` };
      edges.push({ from: caller, to: { namespace: ns, service: name }, ports: [PORT], methods: ['GET'] });
      this.service(name, i === 0, `cluster.local/ns/${caller.namespace}/sa/${caller.serviceAccount}`);
    }
    this.callGraph = { edges };
  }

  private service(name: string, exposed: boolean, callerPrincipal: string): void {
    new k8s.KubeServiceAccount(this, `${name}-account`, { metadata: { name } });
    new k8s.KubeService(this, `${name}-service`, {
      metadata: { name, labels: { app: name, service: name } },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: PORT }] },
    });
    for (const version of VERSIONS) this.deployment(name, version);
    new DestinationRule(this, `${name}-destination-rule`, {
      metadata: { name },
      spec: {
        host: name,
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } },
        subsets: VERSIONS.map((version) => ({ name: version, labels: { version } })),
      },
    });
    new VirtualService(this, `${name}-routes`, {
      metadata: { name },
      spec: {
        hosts: exposed ? ['*'] : [name],
        gateways: exposed ? ['gateway'] : undefined,
        http: [
          {
            match: [{ headers: { 'end-user': { exact: 'jason' } } }],
            route: [{ destination: { host: name, subset: 'v2' } }],
          },
          {
            route: VERSIONS.map((version, v) => ({ destination: { host: name, subset: version }, weight: WEIGHTS[v] })),
            timeout: '10s',
            retries: { attempts: 3, perTryTimeout: '2s' },
          },
        ],
      },
    });
    new AuthorizationPolicy(this, `${name}-callers`, {
      metadata: { name: `${name}-callers` },
      spec: {
        selector: { matchLabels: { app: name } },
        action: AuthorizationPolicySpecAction.ALLOW,
        rules: [
          {
            from: [{ source: { principals: [callerPrincipal] } }],
            to: [{ operation: { methods: ['GET'], ports: [String(PORT)] } }],
          },
        ],
      },
    });
  }

  private deployment(app: string, version: string): void {
    const labels = { app, version };
    new k8s.KubeDeployment(this, `${app}-${version}`, {
      metadata: { name: `${app}-${version}`, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: app,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: app,
                image: `registry.example.com/${app}-${version}:1.0`,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ containerPort: PORT }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  runAsNonRoot: true,
                  runAsUser: 1000,
                },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
                  limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
                },
                readinessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromNumber(PORT) } },
              },
            ],
          },
        },
      },
    });
  }
}

/** What one run of the scale pipeline did, and how long each stage took. */
export interface ScaleMeshResult {
  readonly services: number;
  readonly objects: number;
  /** Warnings the analyzer printed (errors throw). */
  readonly warnings: string[];
  /** Characters of YAML written. */
  readonly yamlBytes: number;
  /** Milliseconds per stage: constructs, synthesis to objects, injection, validation and analysis, writing YAML. */
  readonly stages: Readonly<Record<'construct' | 'synthesize' | 'inject' | 'verify' | 'yaml', number>>;
}

/**
 * The synth pipeline on a generated mesh, in memory: the chart synthesized to objects, every Deployment injected
 * with the environment's sidecar, validation and analysis with the declared call graph, then its YAML written to
 * `yamlFile` (as synth writes dist/; by default the null device).
 */
export function synthesizeScaleMesh(services: number, yamlFile: string = os.devNull): ScaleMeshResult {
  const [base] = loadEnvironments(undefined, {}).filter((e) => e.name === 'default');
  const env = { ...base, namespace: 'scale' };
  const stages = { construct: 0, synthesize: 0, inject: 0, verify: 0, yaml: 0 };
  const timed = <T>(stage: keyof typeof stages, work: () => T): T => {
    const start = performance.now();
    const result = work();
    stages[stage] = Math.round(performance.now() - start);
    return result;
  };
  const chart = timed('construct', () => new ScaleMeshChart(new App(), 'scale', { services, env }));
  const objects = timed('synthesize', () => chart.toJson() as Manifest[]);
  const injector = sidecarInjectorFor(sidecarInjection(env));
  const manifests = timed('inject', () => objects.map((m) => injector.inject(m as never).object as Manifest));
  const warnings = timed('verify', () =>
    verifyManifests(manifests, {
      injection: env.injection.mode,
      ingressGateways: [env.ingressGateway],
      callGraph: chart.callGraph,
      defaultNamespace: 'scale',
    }),
  );
  const yamlBytes = timed('yaml', () => writeYamlStream(yamlFile, manifests));
  return { services, objects: manifests.length, warnings, yamlBytes, stages };
}
