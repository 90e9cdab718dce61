import { parse } from 'yaml';
import { GoStruct, GoTemplate, plain } from './go-template';
import type { Container, JsonObject } from '../kube/object';
import type { EffectiveProxyConfig } from './proxy-config';
import {
  appendMultusNetwork,
  excludeInboundPort,
  otelResourceAttributes,
  proxyImage,
  proxyInitImage,
  type TemplateInput,
} from './sidecar-template';
import { templateFuncs } from './template-funcs';
import { RELEASE_DATA } from './release-data';
import type { InjectorMinor } from './istio-defaults';

/**
 * Injection templates other than our TypeScript `sidecar`: the istiod chart's `gateway`, `grpc-agent` and
 * `grpc-simple` (generated data, `npm run inject-data`) and templates of the release's own
 * (`sidecarInjectorWebhook.templates`), rendered as istiod renders them, with the same inputs.
 */

/** The chart's templates besides `sidecar`, by name, of a minor. */
export function chartTemplateText(minor: InjectorMinor): Readonly<Record<string, string>> {
  return RELEASE_DATA[minor].templates;
}

/** Fields of the Kubernetes and Istio structs the templates read that are maps, not structs. */
const MAP_FIELDS: ReadonlySet<string> = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'limits',
  'requests',
  'proxyMetadata',
  'data',
]);

const parsed = new Map<string, GoTemplate>();

/** Renders template `text` for a pod; returns the overlay it gives (`metadata` and `spec` of a pod). */
export function renderTemplate(name: string, text: string, input: TemplateInput): JsonObject {
  const { metadata, spec, proxyConfig, settings } = input;
  let template = parsed.get(text);
  if (!template) {
    template = new GoTemplate(text, funcs(proxyConfig));
    parsed.set(text, template);
  }
  const struct = (json: unknown) => new GoStruct((json ?? {}) as Record<string, unknown>, MAP_FIELDS);
  const data = {
    TypeMeta: struct({ apiVersion: input.owner.apiVersion, kind: input.owner.kind }),
    DeploymentMeta: struct({ name: input.workload.name, namespace: input.workload.namespace }),
    ObjectMeta: struct({ ...metadata, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} }),
    Spec: struct(spec),
    ProxyConfig: struct(proxyConfig.config),
    MeshConfig: struct(settings.meshConfig),
    Values: settings.values,
    Revision: settings.revision ?? '',
    ProxyImage: proxyImage(metadata.annotations ?? {}, settings, proxyConfig),
    ProxyInitImage: proxyInitImage(metadata.annotations ?? {}, settings),
    NativeSidecars: settings.nativeSidecars,
    ProxyUID: undefined,
    ProxyGID: undefined,
    InboundTrafficPolicyMode: '',
    CompliancePolicy: '',
  };
  let rendered: string;
  try {
    rendered = template.render(data);
  } catch (error) {
    throw new Error(`injection template "${name}": ${(error as Error).message}`, { cause: error });
  }
  let overlay: unknown;
  try {
    overlay = parse(rendered);
  } catch (error) {
    throw new Error(`injection template "${name}" rendered YAML that does not parse: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (overlay ?? {}) as JsonObject;
}

function funcs(proxyConfig: EffectiveProxyConfig) {
  return templateFuncs({
    protoToJSON: () => proxyConfig.json,
    excludeInboundPort: (port: unknown, excluded: unknown) =>
      excludeInboundPort(String(port ?? ''), String(excluded ?? '')),
    appendMultusNetwork: (existing: unknown, network: unknown) =>
      appendMultusNetwork(String(existing ?? ''), String(network)),
    otelResourceAttributes: (
      mesh: unknown,
      annotations: unknown,
      labels: unknown,
      namespace: unknown,
      containers: unknown,
    ) =>
      otelResourceAttributes(
        (plain(mesh) ?? {}) as JsonObject,
        (annotations ?? {}) as Record<string, string>,
        (labels ?? {}) as Record<string, string>,
        String(namespace ?? ''),
        (plain(containers) ?? []) as Container[],
      ),
  });
}
