import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ISTIO_SOURCE,
  ISTIO_RELEASE_SOURCES,
  KUBERNETES_SOURCE,
  istioCatalog,
  kubernetesCatalog,
  type CustomResourceDefinition,
} from '../../validate/schema-catalog';
import { SCHEMAS_DIR } from '../../validate/schema-validator';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { describeWithReference } from '../helpers/reference';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

// The catalogs are built from the reference files, as `npm run schemas` builds them.
describeWithReference('the schema catalogs built from the references', () => {
  let kubernetes: ReturnType<typeof kubernetesCatalog>;
  let istio: ReturnType<typeof istioCatalog>;
  beforeAll(() => {
    kubernetes = kubernetesCatalog(JSON.parse(read(KUBERNETES_SOURCE)).definitions);
    istio = istioCatalog(parseAllDocuments(read(ISTIO_SOURCE)).map((d) => d.toJS() as CustomResourceDefinition));
  });

  // CI regenerates schemas/ and fails on a difference; this says the same thing sooner, without compiling validators.
  test('the committed schemas are what the references give', () => {
    expect(JSON.parse(read(path.join(SCHEMAS_DIR, 'kubernetes-1.33.json')))).toEqual(kubernetes);
    expect(JSON.parse(read(path.join(SCHEMAS_DIR, 'istio-1.30.3.json')))).toEqual(istio);
    const istio129 = istioCatalog(
      parseAllDocuments(read(ISTIO_RELEASE_SOURCES['1.29'].source)).map((d) => d.toJS() as CustomResourceDefinition),
      '1.29',
    );
    expect(JSON.parse(read(path.join(SCHEMAS_DIR, 'istio-1.29.6.json')))).toEqual(istio129);
  });

  test('every Istio CRD kind is validated in each of its served versions', () => {
    expect(Object.keys(istio.kinds)).toEqual(
      expect.arrayContaining([
        'networking.istio.io/v1/VirtualService',
        'networking.istio.io/v1alpha3/VirtualService',
        'networking.istio.io/v1beta1/VirtualService',
        'networking.istio.io/v1/DestinationRule',
        'networking.istio.io/v1/Gateway',
        'security.istio.io/v1/AuthorizationPolicy',
        'security.istio.io/v1/PeerAuthentication',
        'telemetry.istio.io/v1/Telemetry',
      ]),
    );
    expect(Object.keys(istio.definitions)).toHaveLength(15);
  });

  test('the kinds the project writes are validated', () => {
    for (const kind of [
      'v1/Namespace',
      'v1/Service',
      'v1/ServiceAccount',
      'v1/Secret',
      'apps/v1/Deployment',
      'policy/v1/PodDisruptionBudget',
    ]) {
      expect(kubernetes.kinds).toHaveProperty([kind]);
    }
  });

  test('objects with listed properties are closed, except where the schema keeps unknown fields', () => {
    const definitions = kubernetes.definitions as Record<string, { additionalProperties?: unknown }>;
    expect(definitions['io.k8s.api.core.v1.Container'].additionalProperties).toBe(false);
    const wasm = istio.definitions['extensions.istio.io.WasmPlugin'] as {
      properties: { spec: { properties: { pluginConfig: Record<string, unknown> } } };
    };
    expect(wasm.properties.spec.properties.pluginConfig).toMatchObject({
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(wasm.properties.spec.properties.pluginConfig.additionalProperties).toBeUndefined();
  });
});
