import { formatPath, isKnownApiGroup, validateObject } from '../../validate/schema-validator';

/** The violations of an object, as `path: message` lines. */
function violations(object: Record<string, unknown>): string[] {
  const verdict = validateObject(object);
  if (!verdict.known) throw new Error(`no schema for ${String(object.apiVersion)} ${String(object.kind)}`);
  return verdict.violations.map((v) => `${formatPath(v.path)}: ${v.message}`);
}

const deployment = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'demo', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'example.com/web:1', ...container }] },
    },
    ...spec,
  },
});

const peerAuthentication = (spec: Record<string, unknown>) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'default', namespace: 'demo' },
  spec,
});

describe('Kubernetes objects (the 1.33 OpenAPI definitions, read strictly)', () => {
  test('a valid Deployment passes', () => {
    expect(
      violations(
        deployment({
          ports: [{ containerPort: 9080, name: 'http' }],
          resources: { limits: { cpu: 1, memory: '128Mi' } },
        }),
      ),
    ).toEqual([]);
  });

  test('an unknown field is an error, at any depth (properties are closed, as with kubectl --validate=strict)', () => {
    expect(
      violations(deployment({ imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 9080, protocl: 'TCP' }] })),
    ).toEqual(['spec.template.spec.containers[0].ports[0].protocl: is not a field of this object (unknown field)']);
    expect(violations({ ...deployment({}), status2: {} })).toEqual([
      'status2: is not a field of this object (unknown field)',
    ]);
  });

  test('a wrong type is an error that shows the value', () => {
    expect(violations(deployment({}, { replicas: '2' }))).toEqual(['spec.replicas: must be integer, not string "2"']);
    expect(violations(deployment({ ports: [{ containerPort: 99999999999 }] }))).toEqual([
      'spec.template.spec.containers[0].ports[0].containerPort: must be a valid int32, not integer 99999999999',
    ]);
  });

  test('a missing required field is an error naming the field', () => {
    const { name: _, ...nameless } = deployment({}).spec.template.spec.containers[0];
    const object = deployment({});
    object.spec.template.spec.containers = [nameless as never];
    expect(violations(object)).toEqual(['spec.template.spec.containers[0].name: is required']);
  });

  test('every object needs metadata.name, as kubectl apply does', () => {
    expect(violations({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'demo' } })).toEqual([
      'metadata.name: is required',
    ]);
    expect(violations({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual(['metadata: is required']);
  });

  test('a value outside an enum is an error listing the allowed values (enums the v2 definitions state in prose)', () => {
    expect(violations(deployment({ imagePullPolicy: 'IfNotPresnt' }))).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "Never", "IfNotPresent", not string "IfNotPresnt"',
    ]);
    expect(
      violations({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { type: 'Internal', ports: [{ port: 80, protocol: 'HTTP' }] },
      }),
    ).toEqual([
      'spec.ports[0].protocol: must be one of "TCP", "UDP", "SCTP", not string "HTTP"',
      'spec.type: must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", not string "Internal"',
    ]);
  });

  test('int-or-string fields take both, and nothing else', () => {
    const service = (targetPort: unknown) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80, targetPort }] },
    });
    expect(violations(service(8080))).toEqual([]);
    expect(violations(service('http'))).toEqual([]);
    expect(violations(service(true))).toEqual([
      'spec.ports[0].targetPort: must be integer or string, not boolean true',
    ]);
  });

  test('fields set to null count as absent, as the API server reads them', () => {
    expect(violations({ ...deployment({}), metadata: { name: 'web', creationTimestamp: null } })).toEqual([]);
  });
});

describe('Istio objects (the openAPIV3Schema of their 1.30.3 CRDs)', () => {
  test('a valid object passes, in every served version', () => {
    for (const version of ['v1', 'v1beta1']) {
      expect(
        violations({ ...peerAuthentication({ mtls: { mode: 'STRICT' } }), apiVersion: `security.istio.io/${version}` }),
      ).toEqual([]);
    }
  });

  test('an unknown field, a wrong type, a missing required field and a bad enum value are errors', () => {
    expect(
      violations(
        peerAuthentication({ mtls: { mode: 'strict' }, portLevelMtls: { 9080: { mode: 'DISABLE', tls: true } } }),
      ),
    ).toEqual([
      'spec.mtls.mode: must be one of "UNSET", "DISABLE", "PERMISSIVE", "STRICT", not string "strict"',
      'spec.portLevelMtls["9080"].tls: is not a field of this object (unknown field)',
    ]);
    expect(
      violations({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'reviews' },
        spec: {
          host: 'reviews',
          subsets: [{ labels: { version: 'v1' } }],
          trafficPolicy: { connectionPool: { tcp: { maxConnections: 'ten' } } },
        },
      }),
    ).toEqual([
      'spec.subsets[0].name: is required',
      'spec.trafficPolicy.connectionPool.tcp.maxConnections: must be integer, not string "ten"',
    ]);
  });

  test('a protobuf oneof set twice names the fields that exclude each other', () => {
    expect(
      violations({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'reviews' },
        spec: {
          hosts: ['reviews'],
          http: [{ match: [{ uri: { exact: '/a', prefix: '/' } }], route: [{ destination: { host: 'reviews' } }] }],
        },
      }),
    ).toEqual(['spec.http[0].match[0].uri: must set at most one of: exact, prefix, regex']);
  });

  test('apiVersion and kind must be a served version of the CRD', () => {
    expect(validateObject({ ...peerAuthentication({}), apiVersion: 'security.istio.io/v2' })).toEqual({ known: false });
    expect(isKnownApiGroup('security.istio.io/v2')).toBe(true);
    expect(isKnownApiGroup('cert-manager.io/v1')).toBe(false);
  });
});

test('field paths read as people write them', () => {
  expect(formatPath(['spec', 'template', 'spec', 'containers', 0, 'ports', 1, 'name'])).toBe(
    'spec.template.spec.containers[0].ports[1].name',
  );
  expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe(
    'metadata.labels["app.kubernetes.io/name"]',
  );
});
