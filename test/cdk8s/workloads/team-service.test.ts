import { analyzeManifests } from '../../../analyze/analyzer';
import { formatFinding } from '../../../analyze/finding';
import { meshContextOf } from '../../../cdk8s/analyzer-context';
import { synthesizeKubernetes } from '../../../cdk8s/kubernetes-app';
import { BOOKINFO_CALL_GRAPH, type CallEdge, type EnvironmentInput, type ServiceInput } from '../../../config';
import { podSecurityViolations } from '../../../pod-security/pod-security-standards';
import { podTemplateOf } from '../../../kube/workload-kinds';
import type { KubeObject } from '../../../kube/object';
import { meshDiagram } from '../../../review/mesh-diagram';
import { defaultEnvironment } from '../../helpers/environments';
import { findObject } from '../../helpers/manifests';

// The example, word for word: a team adds its own service and one edge to the default environment.
const PAYMENTS: ServiceInput = {
  name: 'payments',
  port: 8080,
  versions: [{ version: 'v1', image: 'docker.io/example/payments:1.0.0' }],
};
const PAY_EDGE: CallEdge = { from: 'productpage', to: 'payments', methods: ['POST'], paths: ['/pay'] };
const withPayments = (change: (e: EnvironmentInput) => EnvironmentInput = (e) => e) =>
  defaultEnvironment((e) => change({ ...e, services: [PAYMENTS], callGraph: [...BOOKINFO_CALL_GRAPH, PAY_EDGE] }));

describe('a team adds payments to the default environment', () => {
  const env = withPayments();
  const warnings: string[] = [];
  const charts = synthesizeKubernetes(env, warnings);
  const objects = charts.flatMap((c) => c.manifests);

  test('it synthesizes with no warnings, and the analyzer finds nothing', () => {
    expect(warnings).toEqual([]);
    expect(
      analyzeManifests(objects, meshContextOf(env))
        .filter((f) => f.level !== 'info')
        .map(formatFinding),
    ).toEqual([]);
  });

  test('its ServiceAccount, and its Service with the port named by protocol', () => {
    expect(findObject(objects, 'ServiceAccount', 'payments').metadata.labels).toMatchObject({ account: 'payments' });
    expect(findObject(objects, 'Service', 'payments').spec).toEqual({
      ports: [{ port: 8080, name: 'http' }],
      selector: { app: 'payments' },
    });
  });

  test('its Deployment, hardened like Bookinfo’s, with the sidecar injected, meeting Pod Security restricted', () => {
    const deployment = findObject(objects, 'Deployment', 'payments-v1');
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('payments');
    const app = pod.containers.find((c: any) => c.name === 'payments');
    expect(app).toMatchObject({
      image: 'docker.io/example/payments:1.0.0',
      ports: [{ containerPort: 8080 }],
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
      },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    });
    const containers = [...pod.containers, ...(pod.initContainers ?? [])].map((c: any) => c.name);
    expect(containers).toContain('istio-proxy');
    expect(podSecurityViolations(podTemplateOf(deployment as unknown as KubeObject), 'restricted')).toEqual([]);
  });

  test('its DestinationRule, a subset per version', () => {
    expect(findObject(objects, 'DestinationRule', 'payments').spec).toEqual({
      host: 'payments',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
  });

  test('its AuthorizationPolicy, admitting only productpage with the edge’s method, path and port', () => {
    expect(findObject(objects, 'AuthorizationPolicy', 'payments-callers').spec).toEqual({
      selector: { matchLabels: { app: 'payments' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/bookinfo-productpage'] } }],
          to: [{ operation: { methods: ['POST'], ports: ['8080'], paths: ['/pay'] } }],
        },
      ],
    });
  });

  test('its node in the diagram, and the allowed call to it', () => {
    const diagram = meshDiagram(env, charts);
    expect(diagram).toContain('service_bookinfo_payments(["payments :8080"])');
    expect(diagram).toContain('workload_bookinfo_payments_v1["payments-v1<br/>v1 · 1 replica · sidecar"]');
    expect(diagram).toContain('service_bookinfo_productpage -.->|"allow POST :8080 /pay"| service_bookinfo_payments');
  });

  test('Bookinfo’s objects are as they were without it', () => {
    const bookinfo = synthesizeKubernetes(defaultEnvironment()).flatMap((c) => c.manifests);
    const isPayments = (m: { metadata: { name?: string } }) => m.metadata.name?.startsWith('payments');
    expect(objects.filter((m) => !isPayments(m))).toEqual(bookinfo);
  });
});

test('traffic.routes routes payments, to its own subsets', () => {
  const versions = [
    { version: 'v1', image: 'docker.io/example/payments:1.0.0' },
    { version: 'v2', image: 'docker.io/example/payments:2.0.0' },
  ];
  const env = withPayments((e) => ({
    ...e,
    services: [{ ...PAYMENTS, versions }],
    traffic: {
      routes: {
        payments: [
          {
            to: [
              { subset: 'v1', weight: 90 },
              { subset: 'v2', weight: 10 },
            ],
          },
        ],
      },
    },
  }));
  const objects = synthesizeKubernetes(env).flatMap((c) => c.manifests);
  expect(findObject(objects, 'VirtualService', 'payments').spec.http[0].route).toEqual([
    { destination: { host: 'payments', subset: 'v1' }, weight: 90 },
    { destination: { host: 'payments', subset: 'v2' }, weight: 10 },
  ]);
  expect(() =>
    synthesizeKubernetes(
      withPayments((e) => ({ ...e, traffic: { routes: { payments: [{ to: [{ subset: 'v3' }] }] } } })),
    ),
  ).toThrow(
    'VirtualService "payments" route #1 to[0].subset = "v3": is not a deployed version of payments; deployed: v1',
  );
});

test('a service of several ports, a database and an identity of its own', () => {
  const env = withPayments((e) => ({
    ...e,
    services: [
      {
        ...PAYMENTS,
        port: undefined,
        ports: [{ port: 8080 }, { port: 9090, protocol: 'grpc' }, { port: 8081 }],
        identity: 'payments-api',
      },
      {
        name: 'ledger',
        port: 5432,
        database: true,
        versions: [{ version: 'v1', image: 'docker.io/library/postgres:17', replicas: 1 }],
      },
    ],
    callGraph: [...BOOKINFO_CALL_GRAPH, PAY_EDGE, { from: 'payments', to: 'ledger' }],
  }));
  const warnings: string[] = [];
  const objects = synthesizeKubernetes(env, warnings).flatMap((c) => c.manifests);
  expect(warnings).toEqual([]);
  expect(
    analyzeManifests(objects, meshContextOf(env))
      .filter((f) => f.level !== 'info')
      .map(formatFinding),
  ).toEqual([]);
  expect(findObject(objects, 'Service', 'payments').spec.ports).toEqual([
    { port: 8080, name: 'http-8080' },
    { port: 9090, name: 'grpc' },
    { port: 8081, name: 'http-8081' },
  ]);
  expect(findObject(objects, 'Deployment', 'payments-v1').spec.template.spec.serviceAccountName).toBe('payments-api');
  expect(findObject(objects, 'Service', 'ledger').spec.ports).toEqual([{ port: 5432, name: 'tcp' }]);
  // A database gets no DestinationRule; its callers are admitted over TCP, by port only.
  expect(objects.filter((m) => m.kind === 'DestinationRule' && m.metadata.name === 'ledger')).toEqual([]);
  expect(findObject(objects, 'AuthorizationPolicy', 'ledger-callers').spec.rules).toEqual([
    {
      from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/payments-api'] } }],
      to: [{ operation: { ports: ['5432'] } }],
    },
  ]);
});

describe('a bad record is refused, naming the service and the field', () => {
  test.each<[string, unknown[], string]>([
    [
      'two services of one name',
      [PAYMENTS, PAYMENTS],
      'services[payments].name = "payments": service "payments" is listed twice; names must be unique',
    ],
    [
      "a name of Bookinfo's",
      [{ ...PAYMENTS, name: 'reviews' }],
      `services[reviews].name = "reviews": service "reviews" collides with one of Bookinfo's services or the ingress gateway's caller name`,
    ],
    [
      'a port out of range',
      [{ ...PAYMENTS, port: 70000 }],
      'services[payments].port = 70000: must be a port from 1 to 65535',
    ],
    [
      'a version without an image',
      [{ ...PAYMENTS, versions: [{ version: 'v1' }] }],
      'services[payments].versions[v1].image = undefined: needs an image',
    ],
    ['no version', [{ ...PAYMENTS, versions: [] }], 'services[payments].versions = []: needs at least one version'],
    [
      'an unknown protocol',
      [{ ...PAYMENTS, protocol: 'smtp' }],
      'services[payments].protocol = "smtp": must be a protocol Istio knows',
    ],
    [
      "an identity of Bookinfo's",
      [{ ...PAYMENTS, identity: 'bookinfo-details' }],
      `services[payments].identity = "bookinfo-details": service "payments" runs as ServiceAccount "bookinfo-details", which is one of Bookinfo's; give it an identity of its own`,
    ],
    [
      "another service's identity",
      [PAYMENTS, { ...PAYMENTS, name: 'refunds', versions: [{ version: 'v1', image: 'x', identity: 'payments' }] }],
      'services[refunds].identity = "payments": service "refunds" runs as ServiceAccount "payments", which service "payments" runs as',
    ],
    [
      'neither port nor ports',
      [{ ...PAYMENTS, port: undefined }],
      'services[payments].port = undefined: service "payments": give either port or ports',
    ],
  ])('%s', (_what, services, message) => {
    expect(() => defaultEnvironment((e) => ({ ...e, services: services as ServiceInput[] }))).toThrow(message);
  });

  test('an edge to a port the service does not have, or with HTTP fields to a database, is named', () => {
    const ledger: ServiceInput = {
      name: 'ledger',
      port: 5432,
      database: true,
      versions: [{ version: 'v1', image: 'docker.io/library/postgres:17' }],
    };
    const synth = (callGraph: CallEdge[]) =>
      synthesizeKubernetes(
        defaultEnvironment((e) => ({
          ...e,
          services: [PAYMENTS, ledger],
          callGraph: [...BOOKINFO_CALL_GRAPH, ...callGraph],
        })),
      );
    expect(() => synth([{ ...PAY_EDGE, port: 9080 }])).toThrow(
      '"productpage -> payments" port = 9080: is not a port of payments; its ports: 8080',
    );
    expect(() => synth([{ from: 'payments', to: 'ledger', methods: ['GET'] }])).toThrow(
      '"payments -> ledger": ledger speaks no HTTP (a database), so methods and paths would never match',
    );
    expect(() => synth([{ from: 'ratings', fromVersions: ['v2'], to: 'mongodb', paths: ['/x'] }])).toThrow(
      'mongodb speaks no HTTP',
    );
  });

  test('an edge to a service that is not in the catalogue names the services that are', () => {
    expect(() =>
      synthesizeKubernetes(defaultEnvironment((e) => ({ ...e, callGraph: [...BOOKINFO_CALL_GRAPH, PAY_EDGE] }))),
    ).toThrow(/"productpage -> payments" to = "payments": is not a service of the mesh; services: .*details/);
  });
});
