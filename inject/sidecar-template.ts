import { goJson } from './go-json';
import * as D from './istio-defaults';
import { minorAtLeast, type InjectorMinor } from './istio-defaults';
import { valueAt } from './injection-settings';
import { isJsonObject, type Container, type EnvVar, type JsonObject, type PodSpec, type Volume } from '../kube/object';
import { cloneJson } from './clone-json';
import { ANNOTATION, INIT_CONTAINER, LABEL, PROXY_CONTAINER, VALIDATION_CONTAINER } from './pod-annotations';
import type { EffectiveProxyConfig } from './proxy-config';
import { canonicalQuantity } from './quantity';
import type { PodTemplate } from '../kube/workload-kinds';

/**
 * Istio 1.30.3's `sidecar` injection template (injection-template.yaml) as TypeScript: given a pod, its ProxyConfig
 * and the control plane's `.Values` and `.MeshConfig`, the labels, annotations, containers and volumes that
 * injection adds. Each block follows the template's order, so env vars, args and mounts come out in the order
 * istioctl writes them.
 */

export interface SidecarSettings {
  /** `.Values` and `.MeshConfig`, resolved (injection-settings.ts). */
  readonly values: JsonObject;
  readonly meshConfig: JsonObject;
  /** `.Revision`: the control plane revision kube-inject injects for; none means the default control plane. */
  readonly revision?: string;
  /** `.NativeSidecars`: istio-proxy as a native sidecar (an init container that keeps running). */
  readonly nativeSidecars: boolean;
  /** The minor whose template this renders: the differences between releases are marked where they are. */
  readonly minor: InjectorMinor;
}

/** The template's `.Values.<path>` (`global.proxy.image`). */
export function templateValue(settings: SidecarSettings, path: string): unknown {
  return valueAt(settings.values, path);
}

/** Go's `%v` of a value as the template prints it (`<nil>` for a missing one). */
function printed(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Go templates' truth: false, 0, "", nil and empty maps and lists are false. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

/** What the template renders for one pod: the overlay that is merged into it. */
export interface TemplatePod {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Undefined when the template renders no init containers at all (interception NONE, classic sidecar). */
  readonly initContainers: Container[] | undefined;
  readonly containers: Container[];
  readonly volumes: Volume[];
  /** `global.imagePullSecrets`, added to the pod's own. */
  readonly imagePullSecrets: { name: string }[] | undefined;
}

/** The pod being injected (as workload-kinds.ts reads it from its workload) and the settings to inject it with. */
export interface TemplateInput extends Pick<PodTemplate, 'metadata' | 'spec' | 'owner' | 'workload'> {
  readonly proxyConfig: EffectiveProxyConfig;
  readonly settings: SidecarSettings;
}

export function renderSidecarTemplate(input: TemplateInput): TemplatePod {
  const { metadata, spec, proxyConfig, settings } = input;
  const annotations = metadata.annotations ?? {};
  const labels = metadata.labels ?? {};
  const value = (path: string) => templateValue(settings, path);
  /** The template's `annotation` function: the pod's annotation if set (even empty), else the default. */
  const annotation = (name: string, fallback: unknown): string =>
    name in annotations ? annotations[name] : printed(fallback);
  const cni = truthy(value('pilot.cni.enabled'));

  const interceptionMode = annotation(ANNOTATION.interceptionMode, proxyConfig.interceptionMode);
  const tproxy = interceptionMode === 'TPROXY';
  const capNetBindService =
    annotation(ANNOTATION.capNetBindService, value('global.proxy.capNetBindService')) === 'true';
  const native = (annotations[ANNOTATION.nativeSidecar] || String(settings.nativeSidecars)) !== 'false';
  const appContainers = spec.containers.map((c) => c.name).filter((name) => name !== PROXY_CONTAINER);
  const statusPort = annotation(ANNOTATION.statusPort, value('global.proxy.statusPort'));
  const excludedInbound = excludeInboundPort(
    statusPort,
    annotation(ANNOTATION.excludeInboundPorts, value('global.proxy.excludeInboundPorts')),
  );
  const resources = proxyResources(annotations, value('global.proxy.resources'));
  const holdProxy =
    (proxyConfig.holdApplicationUntilProxyStarts === true ||
      truthy(value('global.proxy.holdApplicationUntilProxyStarts'))) &&
    !native;
  const noInitContainer = interceptionMode === 'NONE' && !native;

  const templateLabels: Record<string, string> = {
    [LABEL.tlsMode]: labels[LABEL.tlsMode] || 'istio',
  };
  if (proxyConfig.proxyMetadata.ISTIO_META_ENABLE_HBONE === 'true')
    templateLabels[LABEL.tunnel] = labels[LABEL.tunnel] || 'http';
  templateLabels[LABEL.canonicalName] = truncateLabel(
    labels[LABEL.canonicalName] || labels['app.kubernetes.io/name'] || labels.app || input.workload.name,
    settings.minor,
  );
  templateLabels[LABEL.canonicalRevision] =
    labels[LABEL.canonicalRevision] || labels['app.kubernetes.io/version'] || labels.version || 'latest';

  const templateAnnotations: Record<string, string> = { [ANNOTATION.revision]: settings.revision || 'default' };
  if (appContainers.length > 0) {
    if (!(ANNOTATION.defaultLogsContainer in annotations))
      templateAnnotations[ANNOTATION.defaultLogsContainer] = appContainers[0];
    if (!(ANNOTATION.defaultContainer in annotations))
      templateAnnotations[ANNOTATION.defaultContainer] = appContainers[0];
  }
  if (cni) {
    if (value('pilot.cni.provider') === 'multus') {
      templateAnnotations[ANNOTATION.multusNetworks] = appendMultusNetwork(
        annotations[ANNOTATION.multusNetworks] ?? '',
        'default/istio-cni',
      );
    }
    // the CNI plugin reads the capture settings from these annotations
    templateAnnotations[ANNOTATION.interceptionMode] = interceptionMode;
    const include = annotation(ANNOTATION.includeOutboundIPRanges, value('global.proxy.includeIPRanges'));
    if (include) templateAnnotations[ANNOTATION.includeOutboundIPRanges] = include;
    const exclude = annotation(ANNOTATION.excludeOutboundIPRanges, value('global.proxy.excludeIPRanges'));
    if (exclude) templateAnnotations[ANNOTATION.excludeOutboundIPRanges] = exclude;
    templateAnnotations[ANNOTATION.includeInboundPorts] = annotation(
      ANNOTATION.includeInboundPorts,
      value('global.proxy.includeInboundPorts'),
    );
    templateAnnotations[ANNOTATION.excludeInboundPorts] = excludedInbound;
    for (const [name, path] of [
      [ANNOTATION.includeOutboundPorts, 'global.proxy.includeOutboundPorts'],
      [ANNOTATION.excludeOutboundPorts, 'global.proxy.excludeOutboundPorts'],
    ] as const) {
      if (name in annotations || (value(path) ?? '') !== '') templateAnnotations[name] = annotation(name, value(path));
    }
    for (const name of [
      ANNOTATION.kubevirtInterfaces,
      ANNOTATION.rerouteVirtualInterfaces,
      ANNOTATION.excludeInterfaces,
    ]) {
      if (annotations[name]) templateAnnotations[name] = annotations[name];
    }
  }

  const initContainers: Container[] = [];
  const common = { annotation, annotations, settings, interceptionMode, tproxy, resources, cni };
  if (interceptionMode !== 'NONE') {
    initContainers.push(trafficInitContainer({ ...common, excludedInbound, proxyConfig }));
  }
  const proxy = proxyContainer({
    ...common,
    labels,
    input,
    native,
    holdProxy,
    capNetBindService,
    statusPort,
    appContainers,
  });
  if (native) initContainers.push(proxy);

  const pullSecrets = value('global.imagePullSecrets');
  return {
    labels: templateLabels,
    annotations: templateAnnotations,
    initContainers: noInitContainer ? undefined : initContainers,
    containers: native ? [] : [proxy],
    volumes: volumes(annotations, settings, spec),
    imagePullSecrets:
      Array.isArray(pullSecrets) && pullSecrets.length > 0
        ? pullSecrets.map((name) => ({ name: printed(name) }))
        : undefined,
  };
}

type Annotation = (name: string, fallback: unknown) => string;

interface Common {
  annotation: Annotation;
  annotations: Record<string, string>;
  settings: SidecarSettings;
  interceptionMode: string;
  tproxy: boolean;
  resources: JsonObject | undefined;
  cni: boolean;
}

/** istio-init (iptables set up in the pod, needs NET_ADMIN and NET_RAW), or istio-validation in CNI mode. */
function trafficInitContainer(p: Common & { excludedInbound: string; proxyConfig: EffectiveProxyConfig }): Container {
  const { annotation, annotations, settings, cni } = p;
  const value = (path: string) => templateValue(settings, path);
  const mesh = settings.meshConfig;
  const args = [
    'istio-iptables',
    '-p',
    truthy(mesh.proxyListenPort) ? printed(mesh.proxyListenPort) : '15001',
    '-z',
    truthy(mesh.proxyInboundListenPort) ? printed(mesh.proxyInboundListenPort) : '15006',
    '-u',
    String(D.PROXY_UID),
    '-m',
    p.interceptionMode,
    '-i',
    annotation(ANNOTATION.includeOutboundIPRanges, value('global.proxy.includeIPRanges')),
    '-x',
    annotation(ANNOTATION.excludeOutboundIPRanges, value('global.proxy.excludeIPRanges')),
    '-b',
    annotation(ANNOTATION.includeInboundPorts, value('global.proxy.includeInboundPorts')),
    '-d',
    p.excludedInbound ? `15090,15021,${p.excludedInbound}` : '15090,15021',
  ];
  for (const [flag, name, path] of [
    ['-q', ANNOTATION.includeOutboundPorts, 'global.proxy.includeOutboundPorts'],
    ['-o', ANNOTATION.excludeOutboundPorts, 'global.proxy.excludeOutboundPorts'],
  ] as const) {
    if (name in annotations || (value(path) ?? '') !== '') args.push(flag, annotation(name, value(path)));
  }
  if (ANNOTATION.rerouteVirtualInterfaces in annotations)
    args.push('-k', annotations[ANNOTATION.rerouteVirtualInterfaces]);
  else if (ANNOTATION.kubevirtInterfaces in annotations) args.push('-k', annotations[ANNOTATION.kubevirtInterfaces]);
  if (ANNOTATION.excludeInterfaces in annotations) args.push('-c', annotations[ANNOTATION.excludeInterfaces]);
  args.push(`--log_output_level=${annotation(ANNOTATION.agentLogLevel, value('global.logging.level'))}`);
  if (truthy(value('global.logAsJson'))) args.push('--log_as_json');
  if (cni) args.push('--run-validation', '--skip-rule-apply');
  else if (truthy(value('global.proxy_init.forceApplyIptables'))) args.push('--force-apply');
  if (truthy(value('global.nativeNftables'))) args.push('--native-nftables');

  const container: Container = {
    name: cni ? VALIDATION_CONTAINER : INIT_CONTAINER,
    image: imageFor(annotations, settings, 'global.proxy_init.image', p.proxyConfig, 'init'),
    args,
  };
  const pullPolicy = value('global.imagePullPolicy');
  if (truthy(pullPolicy)) container.imagePullPolicy = printed(pullPolicy);
  const metadataEnv = proxyMetadataEnv(p.proxyConfig);
  if (metadataEnv.length > 0) container.env = metadataEnv;
  if (p.resources) container.resources = cloneJson(p.resources);
  const privileged = value('global.proxy.privileged') === true;
  container.securityContext = cni
    ? {
        allowPrivilegeEscalation: privileged,
        privileged,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsGroup: D.PROXY_UID,
        runAsUser: D.PROXY_UID,
        runAsNonRoot: true,
      }
    : {
        allowPrivilegeEscalation: privileged,
        privileged,
        capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
        readOnlyRootFilesystem: false,
        runAsGroup: 0,
        runAsNonRoot: false,
        runAsUser: 0,
      };
  const seccomp = value('global.proxy.seccompProfile');
  if (truthy(seccomp)) container.securityContext.seccompProfile = cloneJson(seccomp);
  return container;
}

function proxyContainer(
  p: Common & {
    labels: Record<string, string>;
    input: TemplateInput;
    native: boolean;
    holdProxy: boolean;
    capNetBindService: boolean;
    statusPort: string;
    appContainers: string[];
  },
): Container {
  const { annotation, annotations, input, settings } = p;
  const value = (path: string) => templateValue(settings, path);
  const { proxyConfig } = input;
  const container: Container = {
    name: PROXY_CONTAINER,
    image: imageFor(annotations, settings, 'global.proxy.image', proxyConfig),
  };
  if (p.native) container.restartPolicy = 'Always';
  container.ports = [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }];
  container.args = [
    'proxy',
    'sidecar',
    '--domain',
    `$(POD_NAMESPACE).svc.${printed(value('global.proxy.clusterDomain'))}`,
    `--proxyLogLevel=${annotation(ANNOTATION.logLevel, value('global.proxy.logLevel'))}`,
    `--proxyComponentLogLevel=${annotation(ANNOTATION.componentLogLevel, value('global.proxy.componentLogLevel'))}`,
    `--log_output_level=${annotation(ANNOTATION.agentLogLevel, value('global.logging.level'))}`,
  ];
  if (truthy(value('global.sts.servicePort')))
    container.args.push(`--stsPort=${printed(value('global.sts.servicePort'))}`);
  if (truthy(value('global.logAsJson'))) container.args.push('--log_as_json');
  if (truthy(value('global.proxy.outlierLogPath')))
    container.args.push(`--outlierLogPath=${printed(value('global.proxy.outlierLogPath'))}`);
  const lifecycle = value('global.proxy.lifecycle');
  if (truthy(lifecycle)) {
    container.lifecycle = cloneJson(lifecycle) as JsonObject;
  } else if (p.holdProxy) {
    container.lifecycle = { postStart: { exec: { command: ['pilot-agent', 'wait'] } } };
  } else if (p.native) {
    // drain on shutdown: as an init container the proxy stops after the app, so it must drain first
    container.lifecycle = {
      preStop: {
        exec: { command: ['pilot-agent', 'request', `--debug-port=${p.statusPort}`, 'POST', 'drain'] },
      },
    };
  }
  container.env = proxyEnv(p);
  const pullPolicy = value('global.imagePullPolicy');
  if (truthy(pullPolicy)) container.imagePullPolicy = printed(pullPolicy);
  if (p.statusPort !== '0') {
    if (truthy(value('global.proxy.startupProbe.enabled'))) {
      container.startupProbe = {
        httpGet: { path: '/healthz/ready', port: D.PROXY_READINESS_PORT },
        periodSeconds: 1,
        timeoutSeconds: 3,
        failureThreshold: Number(value('global.proxy.startupProbe.failureThreshold')),
      };
    }
    container.readinessProbe = omitZero({
      httpGet: { path: '/healthz/ready', port: D.PROXY_READINESS_PORT },
      initialDelaySeconds: Number(
        annotation(ANNOTATION.readinessInitialDelaySeconds, value('global.proxy.readinessInitialDelaySeconds')),
      ),
      periodSeconds: Number(
        annotation(ANNOTATION.readinessPeriodSeconds, value('global.proxy.readinessPeriodSeconds')),
      ),
      timeoutSeconds: 3,
      failureThreshold: Number(
        annotation(ANNOTATION.readinessFailureThreshold, value('global.proxy.readinessFailureThreshold')),
      ),
    });
  }
  container.securityContext = proxySecurityContext(p.tproxy, p.capNetBindService, proxyConfig, settings);
  if (p.resources) container.resources = cloneJson(p.resources);
  container.volumeMounts = volumeMounts(annotations, settings);
  return container;
}

function proxyEnv(p: {
  annotations: Record<string, string>;
  labels: Record<string, string>;
  input: TemplateInput;
  interceptionMode: string;
  appContainers: string[];
}): EnvVar[] {
  const { annotations, labels, input } = p;
  const { settings } = input;
  const value = (path: string) => templateValue(settings, path);
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  const resourceRef = (resource: string) => ({ valueFrom: { resourceFieldRef: { resource, divisor: '1' } } });
  const env: EnvVar[] = [];
  if (inboundTrafficPolicyMode(settings.meshConfig) === 'localhost') {
    env.push({ name: 'REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION', value: 'true' });
  }
  const revision = printed(value('revision') ?? '');
  const caAddress = truthy(value('global.caAddress'))
    ? printed(value('global.caAddress'))
    : `istiod${revision ? `-${revision}` : ''}.${printed(value('global.istioNamespace'))}.svc:15012`;
  env.push(
    { name: 'PILOT_CERT_PROVIDER', value: printed(value('global.pilotCertProvider')) },
    { name: 'CA_ADDR', value: caAddress },
    { name: 'POD_NAME', ...fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', ...fieldRef('metadata.namespace') },
    { name: 'INSTANCE_IP', ...fieldRef('status.podIP') },
    { name: 'SERVICE_ACCOUNT', ...fieldRef('spec.serviceAccountName') },
    { name: 'HOST_IP', ...fieldRef('status.hostIP') },
    { name: 'ISTIO_CPU_LIMIT', ...resourceRef('limits.cpu') },
    { name: 'PROXY_CONFIG', value: `${input.proxyConfig.json}\n` },
    { name: 'ISTIO_META_POD_PORTS', value: podPortsJson(input.spec) },
    { name: 'ISTIO_META_APP_CONTAINERS', value: p.appContainers.join(',') },
    { name: 'GOMEMLIMIT', ...resourceRef('limits.memory') },
    { name: 'GOMAXPROCS', ...resourceRef('limits.cpu') },
    {
      name: 'ISTIO_META_CLUSTER_ID',
      value: truthy(value('global.multiCluster.clusterName'))
        ? printed(value('global.multiCluster.clusterName'))
        : D.CLUSTER_ID,
    },
    { name: 'ISTIO_META_NODE_NAME', ...fieldRef('spec.nodeName') },
    {
      name: 'ISTIO_META_INTERCEPTION_MODE',
      value: annotations[ANNOTATION.interceptionMode] || input.proxyConfig.interceptionMode,
    },
  );
  if (truthy(value('global.network')))
    env.push({ name: 'ISTIO_META_NETWORK', value: printed(value('global.network')) });
  const workloadName = labels[LABEL.workloadName] || input.workload.name;
  if (workloadName) env.push({ name: 'ISTIO_META_WORKLOAD_NAME', value: workloadName });
  if (input.owner.apiVersion && input.workload.name) {
    const { apiVersion, kind } = input.owner;
    const namespace = input.workload.namespace || 'default';
    env.push({
      name: 'ISTIO_META_OWNER',
      value: `kubernetes://apis/${apiVersion}/namespaces/${namespace}/${kind.toLowerCase()}s/${input.workload.name}`,
    });
  }
  if (ANNOTATION.bootstrapOverride in annotations) {
    env.push({ name: 'ISTIO_BOOTSTRAP_OVERRIDE', value: '/etc/istio/custom-bootstrap/custom_bootstrap.json' });
  }
  const trustDomain = truthy(settings.meshConfig.trustDomain)
    ? printed(settings.meshConfig.trustDomain)
    : printed(value('global.trustDomain') ?? '');
  const meshId = truthy(value('global.meshID')) ? printed(value('global.meshID')) : trustDomain;
  if (meshId) env.push({ name: 'ISTIO_META_MESH_ID', value: meshId });
  if (trustDomain) env.push({ name: 'TRUST_DOMAIN', value: trustDomain });
  // OTEL_RESOURCE_ATTRIBUTES came with 1.30's template; 1.29's has no such variable
  const otel = minorAtLeast(settings.minor, '1.30')
    ? otelResourceAttributes(settings.meshConfig, annotations, labels, input.workload.namespace, input.spec.containers)
    : '';
  if (otel) env.push({ name: 'OTEL_RESOURCE_ATTRIBUTES', value: otel });
  env.push(...proxyMetadataEnv(input.proxyConfig));
  return env;
}

/**
 * Istio's otelResourceAttributes: with an OpenTelemetry provider that enriches service attributes by the semantic
 * conventions, the pod's service namespace, version and instance id, for the proxy's spans.
 */
export function otelResourceAttributes(
  meshConfig: JsonObject,
  annotations: Record<string, string>,
  labels: Record<string, string>,
  namespace: string,
  containers: readonly Container[],
): string {
  const providers = Array.isArray(meshConfig.extensionProviders) ? meshConfig.extensionProviders : [];
  const semconv = providers.some(
    (p) => valueAt(p, 'opentelemetry.serviceAttributeEnrichment') === 'OTEL_SEMANTIC_CONVENTIONS',
  );
  if (!semconv) return '';
  const attrs: string[] = [];
  const annotated = (name: string) => annotations[`resource.opentelemetry.io/${name}`] || undefined;
  const ns = annotated('service.namespace') ?? namespace;
  if (ns) attrs.push(`service.namespace=${ns}`);
  let version = annotated('service.version') ?? (labels['app.kubernetes.io/version'] || undefined);
  if (version === undefined && containers.length === 1) {
    const image = containers[0].image ?? '';
    const at = image.indexOf('@');
    const digest = at >= 0 ? image.slice(at + 1) : '';
    const name = at >= 0 ? image.slice(0, at) : image;
    const colon = name.lastIndexOf(':');
    const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
    version = tag && digest ? `${tag}@${digest}` : digest || tag || undefined;
  }
  if (version) attrs.push(`service.version=${version}`);
  const instance = annotated('service.instance.id');
  if (instance) attrs.push(`service.instance.id=${instance}`);
  else if (containers.length > 0) attrs.push(`service.instance.id=${namespace}.$(POD_NAME).${containers[0].name}`);
  return attrs.join(',');
}

/** Istio's InboundTrafficPolicyMode: `localhost` when the mesh's inbound traffic policy says so. */
function inboundTrafficPolicyMode(meshConfig: JsonObject): string {
  const mode = valueAt(meshConfig, 'inboundTrafficPolicy.mode');
  return mode === 'LOCALHOST' || mode === 1 ? 'localhost' : 'passthrough';
}

/** Istio's appendMultusNetwork: adds the CNI network to a pod's `k8s.v1.cni.cncf.io/networks`, flat or JSON. */
export function appendMultusNetwork(existing: string, network: string): string {
  if (existing === '') return network;
  const close = existing.lastIndexOf(']');
  if (close >= 0) {
    let list: unknown;
    try {
      list = JSON.parse(existing);
    } catch {
      return existing; // not JSON: Istio leaves it as it is
    }
    const [namespace, name] = network.includes('/') ? network.split('/') : ['', network];
    if (
      Array.isArray(list) &&
      list.some((n) => isJsonObject(n) && n.name === name && (n.namespace ?? '') === namespace)
    ) {
      return existing;
    }
    const entry = namespace ? `, {"name": "${name}", "namespace": "${namespace}"}` : `, {"name": "${name}"}`;
    // inserted as text before the closing bracket, as Istio does
    return existing.slice(0, close) + entry + existing.slice(close);
  }
  return existing.split(',').some((n) => n.trim() === network) ? existing : `${existing}, ${network}`;
}

/**
 * `ISTIO_META_POD_PORTS`: every port of the app containers as Go prints a ContainerPort, one per line, in the
 * template's layout: `[`, then `    {...}`, `    ,{...}`, then `]`.
 */
function podPortsJson(spec: PodSpec): string {
  const ports = spec.containers
    .flatMap((c) => c.ports ?? [])
    .map((port) => {
      const json: Record<string, unknown> = {};
      if (port.name) json.name = port.name;
      if (port.hostPort) json.hostPort = port.hostPort;
      json.containerPort = port.containerPort ?? 0;
      if (port.protocol) json.protocol = port.protocol;
      if (port.hostIP) json.hostIP = port.hostIP;
      return goJson(json);
    });
  return ['[', ...ports.map((p, i) => `    ${i > 0 ? ',' : ''}${p}`), ']'].join('\n');
}

function proxyMetadataEnv(proxyConfig: EffectiveProxyConfig): EnvVar[] {
  return Object.keys(proxyConfig.proxyMetadata)
    .sort()
    .map((name) => ({ name, value: proxyConfig.proxyMetadata[name] }));
}

function proxySecurityContext(
  tproxy: boolean,
  capNetBindService: boolean,
  proxyConfig: EffectiveProxyConfig,
  settings: SidecarSettings,
): JsonObject {
  let context: JsonObject;
  if (proxyConfig.proxyMetadata.IPTABLES_TRACE_LOGGING === 'true') {
    context = {
      allowPrivilegeEscalation: true,
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
      privileged: true,
      readOnlyRootFilesystem: true,
      runAsGroup: D.PROXY_UID,
      runAsNonRoot: false,
      runAsUser: 0,
    };
  } else {
    const privileged = templateValue(settings, 'global.proxy.privileged') === true;
    const add = [...(tproxy ? ['NET_ADMIN'] : []), ...(capNetBindService ? ['NET_BIND_SERVICE'] : [])];
    const root = tproxy || capNetBindService;
    context = {
      allowPrivilegeEscalation: privileged,
      capabilities: add.length > 0 ? { add, drop: ['ALL'] } : { drop: ['ALL'] },
      privileged,
      readOnlyRootFilesystem: true,
      ...(root
        ? { runAsNonRoot: false, runAsUser: 0, runAsGroup: D.PROXY_UID }
        : { runAsNonRoot: true, runAsUser: D.PROXY_UID, runAsGroup: D.PROXY_UID }),
    };
  }
  const seccomp = templateValue(settings, 'global.proxy.seccompProfile');
  if (truthy(seccomp)) context.seccompProfile = cloneJson(seccomp);
  return context;
}

/**
 * The template's `resources` block: the proxy annotations if any is set, else `global.proxy.resources` without its
 * nulls; undefined when neither gives any.
 */
function proxyResources(annotations: Record<string, string>, fromValues: unknown): JsonObject | undefined {
  const cpu = annotations[ANNOTATION.proxyCPU];
  const memory = annotations[ANNOTATION.proxyMemory];
  const cpuLimit = annotations[ANNOTATION.proxyCPULimit];
  const memoryLimit = annotations[ANNOTATION.proxyMemoryLimit];
  const anySet = [
    ANNOTATION.proxyCPU,
    ANNOTATION.proxyMemory,
    ANNOTATION.proxyCPULimit,
    ANNOTATION.proxyMemoryLimit,
  ].some((a) => a in annotations);
  if (!anySet) {
    if (!truthy(fromValues) || !isJsonObject(fromValues)) return undefined;
    const out: JsonObject = {};
    // in ResourceRequirements' field order, as Go prints it
    const kinds = ['limits', 'requests', ...Object.keys(fromValues).filter((k) => k !== 'limits' && k !== 'requests')];
    for (const [kind, list] of kinds.map((k) => [k, fromValues[k]] as const)) {
      if (!isJsonObject(list)) continue;
      const present = Object.entries(list).filter(([, v]) => v !== null && v !== undefined);
      if (present.length === 0) continue;
      out[kind] = Object.fromEntries(present.map(([name, v]) => [name, canonicalQuantity(String(v))]));
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  const resources: JsonObject = {};
  if (ANNOTATION.proxyCPU in annotations || ANNOTATION.proxyMemory in annotations) {
    resources.requests = quantities({ cpu, memory });
  }
  if (ANNOTATION.proxyCPULimit in annotations || ANNOTATION.proxyMemoryLimit in annotations) {
    resources.limits = quantities({ cpu: cpuLimit, memory: memoryLimit });
  }
  return resources;
}

function quantities(values: { cpu?: string; memory?: string }): Record<string, string> {
  const out: Record<string, string> = {};
  if (values.cpu !== undefined) out.cpu = canonicalQuantity(values.cpu);
  if (values.memory !== undefined) out.memory = canonicalQuantity(values.memory);
  return out;
}

/**
 * The image of istio-proxy (`global.proxy.image`) or of the init container (`global.proxy_init.image`): the
 * `sidecar.istio.io/proxyImage` annotation or the value when it names a repository (has a `/`), else Istio's
 * ProxyImage: `<hub>/<global.proxy.image>:<tag>`, with `-<variant>` unless the variant is `default`.
 */
function imageFor(
  annotations: Record<string, string>,
  settings: SidecarSettings,
  path: 'global.proxy.image' | 'global.proxy_init.image',
  proxyConfig: EffectiveProxyConfig,
  container: 'proxy' | 'init' = 'proxy',
): string {
  const chosen =
    ANNOTATION.proxyImage in annotations ? annotations[ANNOTATION.proxyImage] : printed(templateValue(settings, path));
  if (chosen.includes('/')) return chosen;
  // 1.31's init container has an image of its own (`.ProxyInitImage`); before, it took the proxy's (`.ProxyImage`)
  if (container === 'init' && minorAtLeast(settings.minor, '1.31')) return proxyInitImage(annotations, settings);
  return proxyImage(annotations, settings, proxyConfig);
}

/** Istio 1.31's ProxyInitImage: `<hub>/<global.proxy_init.image>:<tag>`, the variant of the values or annotation. */
export function proxyInitImage(annotations: Record<string, string>, settings: SidecarSettings): string {
  const value = (p: string) => templateValue(settings, p);
  const name = truthy(value('global.proxy_init.image')) ? printed(value('global.proxy_init.image')) : 'proxyv2';
  const tag = value('global.tag') === undefined || value('global.tag') === null ? '' : printed(value('global.tag'));
  let variant = printed(value('global.variant') ?? '');
  if (ANNOTATION.proxyImageType in annotations) variant = annotations[ANNOTATION.proxyImageType];
  const suffix = variant === '' || variant === 'default' ? '' : `-${variant}`;
  return `${printed(value('global.hub') ?? '')}/${name}:${tag}${suffix}`;
}

/** Istio's ProxyImage (`.ProxyImage`): `<hub>/<global.proxy.image>:<tag>`, `-<variant>` unless `default`. */
export function proxyImage(
  annotations: Record<string, string>,
  settings: SidecarSettings,
  proxyConfig: EffectiveProxyConfig,
): string {
  const value = (p: string) => templateValue(settings, p);
  const name = truthy(value('global.proxy.image')) ? printed(value('global.proxy.image')) : 'proxyv2';
  const tag = value('global.tag') === undefined || value('global.tag') === null ? '' : printed(value('global.tag'));
  let variant = printed(value('global.variant') ?? '');
  if (proxyConfig.imageType !== undefined) variant = proxyConfig.imageType;
  if (ANNOTATION.proxyImageType in annotations) variant = annotations[ANNOTATION.proxyImageType];
  const suffix = variant === '' || variant === 'default' ? '' : `-${variant}`;
  return `${printed(value('global.hub') ?? '')}/${name}:${tag}${suffix}`;
}

function volumeMounts(annotations: Record<string, string>, settings: SidecarSettings): JsonObject[] {
  const value = (path: string) => templateValue(settings, path);
  const gkeCertificates = value('global.caName') === 'GkeWorkloadCertificate';
  const mounts: JsonObject[] = [
    { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
    { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
    gkeCertificates
      ? { name: 'gke-workload-certificate', mountPath: '/var/run/secrets/workload-spiffe-credentials', readOnly: true }
      : { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
  ];
  if (value('global.pilotCertProvider') === 'istiod') {
    mounts.push(
      { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio' },
      { name: 'istio-ca-crl', mountPath: '/var/run/secrets/istio/crl' },
    );
  }
  mounts.push({ name: 'istio-data', mountPath: '/var/lib/istio/data' });
  if (ANNOTATION.bootstrapOverride in annotations) {
    mounts.push({ name: 'custom-bootstrap-volume', mountPath: '/etc/istio/custom-bootstrap' });
  }
  mounts.push(
    { name: 'istio-envoy', mountPath: '/etc/istio/proxy' },
    { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
  );
  if (truthy(value('global.mountMtlsCerts'))) {
    mounts.push({ name: 'istio-certs', mountPath: '/etc/certs/', readOnly: true });
  }
  mounts.push({ name: 'istio-podinfo', mountPath: '/etc/istio/pod' });
  for (const [name, mount] of userEntries(annotations, ANNOTATION.userVolumeMount)) mounts.push({ name, ...mount });
  return mounts;
}

function volumes(annotations: Record<string, string>, settings: SidecarSettings, spec: PodSpec): Volume[] {
  const value = (path: string) => templateValue(settings, path);
  // workload-socket and friends have no source in the template: the API server defaults them to emptyDir
  const list: Volume[] = [{ name: 'workload-socket' }, { name: 'credential-socket' }];
  if (value('global.caName') === 'GkeWorkloadCertificate') {
    list.push({ name: 'gke-workload-certificate', csi: { driver: 'workloadcertificates.security.cloud.google.com' } });
  } else {
    list.push({ name: 'workload-certs' });
  }
  if (ANNOTATION.bootstrapOverride in annotations) {
    list.push({ name: 'custom-bootstrap-volume', configMap: { name: annotations[ANNOTATION.bootstrapOverride] } });
  }
  const trustBundle = truthy(value('global.trustBundleName')) ? printed(value('global.trustBundleName')) : undefined;
  list.push(
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
        ],
      },
    },
    {
      name: 'istio-token',
      projected: {
        sources: [
          {
            serviceAccountToken: {
              path: 'istio-token',
              expirationSeconds: 43200,
              audience: printed(value('global.sds.token.aud')),
            },
          },
        ],
      },
    },
  );
  if (value('global.pilotCertProvider') === 'istiod') {
    list.push(
      valueAt(value('pilot.env'), 'ENABLE_CLUSTER_TRUST_BUNDLE_API') === true
        ? {
            name: 'istiod-ca-cert',
            projected: {
              sources: [
                {
                  clusterTrustBundle: {
                    name: `istio.io:istiod-ca:${trustBundle ?? 'root-cert'}`,
                    path: 'root-cert.pem',
                  },
                },
              ],
            },
          }
        : { name: 'istiod-ca-cert', configMap: { name: trustBundle ?? 'istio-ca-root-cert' } },
    );
  }
  const crl = truthy(value('pilot.crlConfigMapName')) ? printed(value('pilot.crlConfigMapName')) : 'istio-ca-crl';
  list.push({ name: 'istio-ca-crl', configMap: { name: crl, optional: true } });
  if (truthy(value('global.mountMtlsCerts'))) {
    const account = spec.serviceAccountName;
    list.push({
      name: 'istio-certs',
      secret: { optional: true, secretName: account ? `istio.${account}` : 'istio.default' },
    });
  }
  for (const [name, volume] of userEntries(annotations, ANNOTATION.userVolume)) list.push({ name, ...volume });
  return list;
}

/** The `userVolume`/`userVolumeMount` annotations: JSON objects keyed by volume name, in key order. */
function userEntries(annotations: Record<string, string>, name: string): [string, JsonObject][] {
  if (!(name in annotations)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotations[name]);
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
  ) {
    throw new Error(
      `annotation ${name}: invalid value ${JSON.stringify(
        annotations[name],
      )}: must be a JSON object of volumes by name, ` + 'such as {"my-volume":{"emptyDir":{}}}',
    );
  }
  return Object.entries(parsed as Record<string, JsonObject>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The template's `excludeInboundPort`: the inbound ports iptables leaves alone, with the agent's status port added
 * unless health checking is off (port 0) or the port is already listed.
 */
export function excludeInboundPort(statusPort: string, excluded: string): string {
  const port = statusPort.trim();
  if (port === '' || port === '0') return excluded;
  const ports = excluded.split(',');
  if (ports.includes(port)) return excluded;
  return [...ports.map((p) => p.trim()).filter((p) => p !== ''), port].join(',');
}

/** Go omits zero-valued probe numbers. */
function omitZero(probe: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(probe).filter(([, v]) => v !== 0));
}

/** Labels are at most 63 characters; the template truncates and drops one trailing dash. */
function truncateLabel(value: string, minor: InjectorMinor): string {
  const truncated = value.slice(0, 63);
  // 1.31: `trimAll "-_."` (both ends, every such character); before: `trimSuffix "-"` (one trailing "-")
  if (minorAtLeast(minor, '1.31')) return truncated.replace(/^[-_.]+|[-_.]+$/g, '');
  return truncated.endsWith('-') ? truncated.slice(0, -1) : truncated;
}
