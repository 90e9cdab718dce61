import { isJsonObject, type Container, type JsonObject } from '../kube/object';

/**
 * Objects in the field order of k8s.io/api's Go structs, for the JSON Istio writes into annotations
 * (`proxy.istio.io/overrides`): encoding/json prints struct fields in declaration order, and `resources` always.
 */

const CONTAINER = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'restartPolicyRules',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
];
const PROBE = [
  'exec',
  'httpGet',
  'tcpSocket',
  'grpc',
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
  'terminationGracePeriodSeconds',
];
const HTTP_GET = ['path', 'port', 'host', 'scheme', 'httpHeaders'];
const SECURITY_CONTEXT = [
  'capabilities',
  'privileged',
  'seLinuxOptions',
  'windowsOptions',
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'readOnlyRootFilesystem',
  'allowPrivilegeEscalation',
  'procMount',
  'seccompProfile',
  'appArmorProfile',
];
const NESTED: Readonly<Record<string, readonly string[]>> = {
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
  securityContext: SECURITY_CONTEXT,
  resources: ['limits', 'requests', 'claims'],
  capabilities: ['add', 'drop'],
  httpGet: HTTP_GET,
  volumeMounts: ['name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'],
  env: ['name', 'value', 'valueFrom'],
  ports: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'],
  lifecycle: ['postStart', 'preStop', 'stopSignal'],
  postStart: PROBE,
  preStop: PROBE,
};

/** A container as Go marshals it (known fields in struct order, `resources` always present). */
export function goOrderedContainer(container: Container): JsonObject {
  return ordered({ ...container, resources: container.resources ?? {} }, CONTAINER) as JsonObject;
}

function ordered(value: unknown, fields: readonly string[] | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, fields));
  if (!isJsonObject(value) || !fields) return value;
  const keys = [...fields.filter((k) => k in value), ...Object.keys(value).filter((k) => !fields.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, ordered(value[k], NESTED[k])]));
}
