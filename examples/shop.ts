// A mesh of two services of your own, with our constructs and without our configuration:
// `npx tsx examples/shop.ts > shop.yaml`.
import { App, Chart, Yaml } from 'cdk8s';
import {
  CallGraphAuthorization,
  MeshService,
  MutualTls,
  ServiceDestinationRule,
  ServiceRoutes,
  injectSidecars,
} from '../cdk8s';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

const frontend = new MeshService(chart, 'frontend', {
  ports: [{ port: 8080 }],
  versions: [
    { version: 'v1', image: 'docker.io/example/frontend:1.0.0', probes: { path: '/healthz', startupSeconds: 30 } },
  ],
});
const payments = new MeshService(chart, 'payments', {
  ports: [{ port: 8080 }, { port: 9090, protocol: 'grpc' }],
  versions: [
    { version: 'v1', image: 'docker.io/example/payments:1.0.0', replicas: 2 },
    { version: 'v2', image: 'docker.io/example/payments:2.0.0', emptyDirs: [{ name: 'tmp', mountPath: '/tmp' }] },
  ],
});

new ServiceDestinationRule(chart, 'payments-subsets', { service: payments });
new ServiceRoutes(chart, 'payments-canary', {
  service: payments,
  routes: [
    {
      to: [
        { subset: 'v1', weight: 90 },
        { subset: 'v2', weight: 10 },
      ],
      timeout: '2s',
    },
  ],
});
new MutualTls(chart, 'mtls', { mode: 'STRICT' });
new CallGraphAuthorization(chart, 'authorization', {
  calls: [
    { from: frontend.identities, to: payments, methods: ['POST'], paths: ['/pay'] },
    { from: frontend.identities, to: payments, port: 9090 },
  ],
});

// Sidecars as `istioctl kube-inject` writes them, for a cluster that runs the Istio CNI node agent.
process.stdout.write(
  Yaml.stringify(...injectSidecars(chart.toJson(), { values: { pilot: { cni: { enabled: true } } } })),
);
