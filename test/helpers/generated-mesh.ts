import type { CallGraph } from '../../cdk8s/analyze/call-graph';
import type { Manifest } from '../../cdk8s/kubernetes-app';

const NAMESPACE = 'scale';
const VERSIONS = ['v1', 'v2', 'v3'];

/**
 * A mesh of `services` services with three versions each, shaped like Bookinfo's: a Service, a ServiceAccount and
 * three Deployments with an injected sidecar per service, a DestinationRule with a subset per version, a
 * VirtualService splitting 50/30/20 with a header match in front, and least-privilege authorization for a call
 * graph in which each service calls the next and the ingress gateway calls the first. It analyzes clean.
 */
export function generatedMesh(services: number): { manifests: Manifest[]; callGraph: CallGraph } {
  const manifests: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: NAMESPACE }, spec: { mtls: { mode: 'STRICT' } } },
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-by-default', namespace: NAMESPACE }, spec: {} },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gateway', namespace: NAMESPACE },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    },
  ];
  const edges: CallGraph['edges'][number][] = [
    { from: { namespace: 'istio-system', serviceAccount: 'istio-ingressgateway' }, to: { namespace: NAMESPACE, service: 'svc-0' }, methods: ['GET'] },
  ];
  for (let i = 0; i < services; i++) {
    const name = `svc-${i}`;
    const caller = i === 0 ? 'cluster.local/ns/istio-system/sa/istio-ingressgateway' : `cluster.local/ns/${NAMESPACE}/sa/svc-${i - 1}`;
    if (i + 1 < services) edges.push({ from: { namespace: NAMESPACE, serviceAccount: name }, to: { namespace: NAMESPACE, service: `svc-${i + 1}` }, ports: [9080], methods: ['GET'] });
    manifests.push(
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NAMESPACE } },
      {
        apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NAMESPACE, labels: { app: name, service: name } },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] },
      },
      ...VERSIONS.map((version) => deployment(name, version)),
      {
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: NAMESPACE },
        spec: {
          host: name,
          trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } }, outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' } },
          subsets: VERSIONS.map((version) => ({ name: version, labels: { version } })),
        },
      },
      {
        apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: NAMESPACE },
        spec: {
          hosts: i === 0 ? [name, '*'] : [name],
          ...(i === 0 ? { gateways: ['mesh', 'gateway'] } : {}),
          http: [
            { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: name, subset: 'v2' } }] },
            { route: VERSIONS.map((version, v) => ({ destination: { host: name, subset: version }, weight: [50, 30, 20][v] })), timeout: '10s', retries: { attempts: 3, perTryTimeout: '2s' } },
          ],
        },
      },
      {
        apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: NAMESPACE },
        spec: {
          selector: { matchLabels: { app: name } },
          action: 'ALLOW',
          rules: [{ from: [{ source: { principals: [caller] } }], to: [{ operation: { methods: ['GET'], ports: ['9080'] } }] }],
        },
      },
    );
  }
  return { manifests, callGraph: { edges } };
}

/** A Deployment with the shape kube-inject gives it: a native istio-proxy sidecar, istio-init, Istio's volumes. */
function deployment(app: string, version: string): Manifest {
  const labels = { app, version };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-${version}`, namespace: NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels: { ...labels, 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': app, 'service.istio.io/canonical-revision': version },
          annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init","istio-proxy"]}', 'kubectl.kubernetes.io/default-container': app },
        },
        spec: {
          serviceAccountName: app,
          initContainers: [
            { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.30.3', args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337'], securityContext: { runAsUser: 0, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } } },
            {
              name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', restartPolicy: 'Always',
              args: ['proxy', 'sidecar', '--domain', `${NAMESPACE}.svc.cluster.local`, '--proxyLogLevel=warning'],
              env: ['PILOT_CERT_PROVIDER', 'CA_ADDR', 'POD_NAME', 'POD_NAMESPACE', 'INSTANCE_IP', 'SERVICE_ACCOUNT', 'HOST_IP', 'ISTIO_CPU_LIMIT', 'PROXY_CONFIG', 'ISTIO_META_POD_PORTS', 'ISTIO_META_APP_CONTAINERS', 'ISTIO_META_CLUSTER_ID', 'ISTIO_META_NODE_NAME', 'ISTIO_META_INTERCEPTION_MODE', 'ISTIO_META_WORKLOAD_NAME', 'ISTIO_META_OWNER', 'ISTIO_META_MESH_ID', 'TRUST_DOMAIN'].map((name) => ({ name, value: 'x' })),
              ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
              startupProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 1, failureThreshold: 600 },
              resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1337, runAsGroup: 1337 },
              volumeMounts: ['workload-socket', 'credential-socket', 'workload-certs', 'istiod-ca-cert', 'istio-data', 'istio-envoy', 'istio-token', 'istio-podinfo'].map((name) => ({ name, mountPath: `/var/run/${name}` })),
            },
          ],
          containers: [{
            name: app, image: `registry.example.com/${app}-${version}:1.0`, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 9080 }],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          }],
          volumes: [
            ...['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data'].map((name) => ({ name, emptyDir: {} })),
            { name: 'istio-podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
            { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
            { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
          ],
        },
      },
    },
  };
}
