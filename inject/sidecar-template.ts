import { goJson } from './go-json';
import * as D from './istio-defaults';
import type { Container, EnvVar, JsonObject, PodSpec, Volume } from '../kube/object';
import { ANNOTATION, INIT_CONTAINER, LABEL, PROXY_CONTAINER, VALIDATION_CONTAINER } from './pod-annotations';
import type { EffectiveProxyConfig } from './proxy-config';
import { canonicalQuantity } from './quantity';
import type { PodTemplate } from '../kube/workload-kinds';

/**
 * Istio 1.30.3's `sidecar` injection template (injection-template.yaml), rendered with the default values, as
 * TypeScript: given a pod, the labels, annotations, containers and volumes that injection adds. Each block follows
 * the template's order, so env vars, args and mounts come out in the order istioctl writes them.
 */

export interface SidecarSettings {
  /** Image of istio-proxy and of the init container. */
  readonly proxyImage: string;
  /** Control plane revision; none means the default control plane. */
  readonly revision?: string;
  /** istio-proxy as a native sidecar (an init container that keeps running). */
  readonly nativeSidecars: boolean;
  /** The Istio CNI plugin redirects traffic: istio-validation replaces the privileged istio-init. */
  readonly cni: boolean;
}

/** What the template renders for one pod: the overlay that is merged into it. */
export interface TemplatePod {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Undefined when the template renders no init containers at all (interception NONE, classic sidecar). */
  readonly initContainers: Container[] | undefined;
  readonly containers: Container[];
  readonly volumes: Volume[];
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
  /** The template's `annotation` function: the pod's annotation if set (even empty), else the default. */
  const annotation = (name: string, fallback: string | number): string =>
    name in annotations ? annotations[name] : String(fallback);

  const interceptionMode = annotation(ANNOTATION.interceptionMode, proxyConfig.interceptionMode);
  const tproxy = interceptionMode === 'TPROXY';
  const capNetBindService = annotations[ANNOTATION.capNetBindService] === 'true';
  const native = (annotations[ANNOTATION.nativeSidecar] || String(settings.nativeSidecars)) !== 'false';
  const appContainers = spec.containers.map((c) => c.name).filter((name) => name !== PROXY_CONTAINER);
  const statusPort = annotation(ANNOTATION.statusPort, D.STATUS_PORT);
  const excludedInbound = excludeInboundPort(
    statusPort,
    annotation(ANNOTATION.excludeInboundPorts, D.TRAFFIC_DEFAULTS.excludeInboundPorts),
  );
  const resources = proxyResources(annotations);
  const holdProxy = proxyConfig.holdApplicationUntilProxyStarts && !native;
  const noInitContainer = interceptionMode === 'NONE' && !native;

  const templateLabels: Record<string, string> = {
    [LABEL.tlsMode]: labels[LABEL.tlsMode] || 'istio',
  };
  if (proxyConfig.proxyMetadata.ISTIO_META_ENABLE_HBONE === 'true')
    templateLabels[LABEL.tunnel] = labels[LABEL.tunnel] || 'http';
  templateLabels[LABEL.canonicalName] = truncateLabel(
    labels[LABEL.canonicalName] || labels['app.kubernetes.io/name'] || labels.app || input.workload.name,
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
  if (settings.cni) {
    // the CNI plugin reads the capture settings from these annotations
    templateAnnotations[ANNOTATION.interceptionMode] = interceptionMode;
    const include = annotation(ANNOTATION.includeOutboundIPRanges, D.TRAFFIC_DEFAULTS.includeIPRanges);
    if (include) templateAnnotations[ANNOTATION.includeOutboundIPRanges] = include;
    const exclude = annotation(ANNOTATION.excludeOutboundIPRanges, D.TRAFFIC_DEFAULTS.excludeIPRanges);
    if (exclude) templateAnnotations[ANNOTATION.excludeOutboundIPRanges] = exclude;
    templateAnnotations[ANNOTATION.includeInboundPorts] = annotation(
      ANNOTATION.includeInboundPorts,
      D.TRAFFIC_DEFAULTS.includeInboundPorts,
    );
    templateAnnotations[ANNOTATION.excludeInboundPorts] = excludedInbound;
    if (ANNOTATION.includeOutboundPorts in annotations)
      templateAnnotations[ANNOTATION.includeOutboundPorts] = annotations[ANNOTATION.includeOutboundPorts];
    if (ANNOTATION.excludeOutboundPorts in annotations)
      templateAnnotations[ANNOTATION.excludeOutboundPorts] = annotations[ANNOTATION.excludeOutboundPorts];
    for (const name of [
      ANNOTATION.kubevirtInterfaces,
      ANNOTATION.rerouteVirtualInterfaces,
      ANNOTATION.excludeInterfaces,
    ]) {
      if (annotations[name]) templateAnnotations[name] = annotations[name];
    }
  }

  const initContainers: Container[] = [];
  if (interceptionMode !== 'NONE') {
    initContainers.push(
      trafficInitContainer({
        annotation,
        annotations,
        settings,
        interceptionMode,
        excludedInbound,
        proxyConfig,
        resources,
      }),
    );
  }
  const proxy = proxyContainer({
    annotation,
    annotations,
    labels,
    input,
    native,
    holdProxy,
    tproxy,
    capNetBindService,
    interceptionMode,
    statusPort,
    resources,
    appContainers,
  });
  if (native) initContainers.push(proxy);

  return {
    labels: templateLabels,
    annotations: templateAnnotations,
    initContainers: noInitContainer ? undefined : initContainers,
    containers: native ? [] : [proxy],
    volumes: volumes(annotations),
  };
}

type Annotation = (name: string, fallback: string | number) => string;

/** istio-init (iptables set up in the pod, needs NET_ADMIN and NET_RAW), or istio-validation in CNI mode. */
function trafficInitContainer(p: {
  annotation: Annotation;
  annotations: Record<string, string>;
  settings: SidecarSettings;
  interceptionMode: string;
  excludedInbound: string;
  proxyConfig: EffectiveProxyConfig;
  resources: JsonObject;
}): Container {
  const { annotation, annotations, settings } = p;
  const args = [
    'istio-iptables',
    '-p',
    '15001',
    '-z',
    '15006',
    '-u',
    String(D.PROXY_UID),
    '-m',
    p.interceptionMode,
    '-i',
    annotation(ANNOTATION.includeOutboundIPRanges, D.TRAFFIC_DEFAULTS.includeIPRanges),
    '-x',
    annotation(ANNOTATION.excludeOutboundIPRanges, D.TRAFFIC_DEFAULTS.excludeIPRanges),
    '-b',
    annotation(ANNOTATION.includeInboundPorts, D.TRAFFIC_DEFAULTS.includeInboundPorts),
    '-d',
    p.excludedInbound ? `15090,15021,${p.excludedInbound}` : '15090,15021',
  ];
  if (ANNOTATION.includeOutboundPorts in annotations) args.push('-q', annotations[ANNOTATION.includeOutboundPorts]);
  if (ANNOTATION.excludeOutboundPorts in annotations) args.push('-o', annotations[ANNOTATION.excludeOutboundPorts]);
  if (ANNOTATION.rerouteVirtualInterfaces in annotations)
    args.push('-k', annotations[ANNOTATION.rerouteVirtualInterfaces]);
  else if (ANNOTATION.kubevirtInterfaces in annotations) args.push('-k', annotations[ANNOTATION.kubevirtInterfaces]);
  if (ANNOTATION.excludeInterfaces in annotations) args.push('-c', annotations[ANNOTATION.excludeInterfaces]);
  args.push(`--log_output_level=${annotation(ANNOTATION.agentLogLevel, D.LOG_LEVELS.agent)}`);
  if (settings.cni) args.push('--run-validation', '--skip-rule-apply');

  const container: Container = {
    name: settings.cni ? VALIDATION_CONTAINER : INIT_CONTAINER,
    image: imageFor(annotations, settings),
    args,
  };
  const metadataEnv = proxyMetadataEnv(p.proxyConfig);
  if (metadataEnv.length > 0) container.env = metadataEnv;
  container.resources = structuredClone(p.resources);
  container.securityContext = settings.cni
    ? {
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsGroup: D.PROXY_UID,
        runAsUser: D.PROXY_UID,
        runAsNonRoot: true,
      }
    : {
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
        readOnlyRootFilesystem: false,
        runAsGroup: 0,
        runAsNonRoot: false,
        runAsUser: 0,
      };
  return container;
}

function proxyContainer(p: {
  annotation: Annotation;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  input: TemplateInput;
  native: boolean;
  holdProxy: boolean;
  tproxy: boolean;
  capNetBindService: boolean;
  interceptionMode: string;
  statusPort: string;
  resources: JsonObject;
  appContainers: string[];
}): Container {
  const { annotation, annotations, input } = p;
  const { settings, proxyConfig } = input;
  const container: Container = { name: PROXY_CONTAINER, image: imageFor(annotations, settings) };
  if (p.native) container.restartPolicy = 'Always';
  container.ports = [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }];
  container.args = [
    'proxy',
    'sidecar',
    '--domain',
    `$(POD_NAMESPACE).svc.${D.CLUSTER_DOMAIN}`,
    `--proxyLogLevel=${annotation(ANNOTATION.logLevel, D.LOG_LEVELS.proxy)}`,
    `--proxyComponentLogLevel=${annotation(ANNOTATION.componentLogLevel, D.LOG_LEVELS.component)}`,
    `--log_output_level=${annotation(ANNOTATION.agentLogLevel, D.LOG_LEVELS.agent)}`,
  ];
  if (p.holdProxy) {
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
  if (p.statusPort !== '0') {
    container.startupProbe = {
      httpGet: { path: '/healthz/ready', port: D.PROXY_READINESS_PORT },
      periodSeconds: 1,
      timeoutSeconds: 3,
      failureThreshold: D.STARTUP_FAILURE_THRESHOLD,
    };
    container.readinessProbe = omitZero({
      httpGet: { path: '/healthz/ready', port: D.PROXY_READINESS_PORT },
      initialDelaySeconds: Number(annotation(ANNOTATION.readinessInitialDelaySeconds, D.READINESS.initialDelaySeconds)),
      periodSeconds: Number(annotation(ANNOTATION.readinessPeriodSeconds, D.READINESS.periodSeconds)),
      timeoutSeconds: 3,
      failureThreshold: Number(annotation(ANNOTATION.readinessFailureThreshold, D.READINESS.failureThreshold)),
    });
  }
  container.securityContext = proxySecurityContext(p.tproxy, p.capNetBindService, proxyConfig);
  container.resources = structuredClone(p.resources);
  container.volumeMounts = volumeMounts(annotations);
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
  const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  const resourceRef = (resource: string) => ({ valueFrom: { resourceFieldRef: { resource, divisor: '1' } } });
  const env: EnvVar[] = [
    { name: 'PILOT_CERT_PROVIDER', value: D.PILOT_CERT_PROVIDER },
    { name: 'CA_ADDR', value: D.istiodAddress(input.settings.revision) },
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
    { name: 'ISTIO_META_CLUSTER_ID', value: D.CLUSTER_ID },
    { name: 'ISTIO_META_NODE_NAME', ...fieldRef('spec.nodeName') },
    {
      name: 'ISTIO_META_INTERCEPTION_MODE',
      value: annotations[ANNOTATION.interceptionMode] || input.proxyConfig.interceptionMode,
    },
  ];
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
  env.push({ name: 'ISTIO_META_MESH_ID', value: D.TRUST_DOMAIN }, { name: 'TRUST_DOMAIN', value: D.TRUST_DOMAIN });
  env.push(...proxyMetadataEnv(input.proxyConfig));
  return env;
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
): JsonObject {
  if (proxyConfig.proxyMetadata.IPTABLES_TRACE_LOGGING === 'true') {
    return {
      allowPrivilegeEscalation: true,
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
      privileged: true,
      readOnlyRootFilesystem: true,
      runAsGroup: D.PROXY_UID,
      runAsNonRoot: false,
      runAsUser: 0,
    };
  }
  const add = [...(tproxy ? ['NET_ADMIN'] : []), ...(capNetBindService ? ['NET_BIND_SERVICE'] : [])];
  const root = tproxy || capNetBindService;
  return {
    allowPrivilegeEscalation: false,
    capabilities: add.length > 0 ? { add, drop: ['ALL'] } : { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    ...(root
      ? { runAsNonRoot: false, runAsUser: 0, runAsGroup: D.PROXY_UID }
      : { runAsNonRoot: true, runAsUser: D.PROXY_UID, runAsGroup: D.PROXY_UID }),
  };
}

/** The template's `resources` block: the proxy annotations if any is set, else global.proxy.resources. */
function proxyResources(annotations: Record<string, string>): JsonObject {
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
    return {
      limits: quantities(D.PROXY_RESOURCES.limits),
      requests: quantities(D.PROXY_RESOURCES.requests),
    };
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

function imageFor(annotations: Record<string, string>, settings: SidecarSettings): string {
  // the annotation wins only when it names a repository; a bare name like "proxyv2" keeps the default image
  const image = annotations[ANNOTATION.proxyImage];
  return image !== undefined && image.includes('/') ? image : settings.proxyImage;
}

function volumeMounts(annotations: Record<string, string>): JsonObject[] {
  const mounts: JsonObject[] = [
    { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
    { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
    { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
    { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio' },
    { name: 'istio-ca-crl', mountPath: '/var/run/secrets/istio/crl' },
    { name: 'istio-data', mountPath: '/var/lib/istio/data' },
  ];
  if (ANNOTATION.bootstrapOverride in annotations) {
    mounts.push({ name: 'custom-bootstrap-volume', mountPath: '/etc/istio/custom-bootstrap' });
  }
  mounts.push(
    { name: 'istio-envoy', mountPath: '/etc/istio/proxy' },
    { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
    { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
  );
  for (const [name, mount] of userEntries(annotations, ANNOTATION.userVolumeMount)) mounts.push({ name, ...mount });
  return mounts;
}

function volumes(annotations: Record<string, string>): Volume[] {
  // workload-socket and friends have no source in the template: the API server defaults them to emptyDir
  const list: Volume[] = [{ name: 'workload-socket' }, { name: 'credential-socket' }, { name: 'workload-certs' }];
  if (ANNOTATION.bootstrapOverride in annotations) {
    list.push({ name: 'custom-bootstrap-volume', configMap: { name: annotations[ANNOTATION.bootstrapOverride] } });
  }
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
          { serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: D.TOKEN_AUDIENCE } },
        ],
      },
    },
    { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
    { name: 'istio-ca-crl', configMap: { name: 'istio-ca-crl', optional: true } },
  );
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
function excludeInboundPort(statusPort: string, excluded: string): string {
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
function truncateLabel(value: string): string {
  const truncated = value.slice(0, 63);
  return truncated.endsWith('-') ? truncated.slice(0, -1) : truncated;
}
