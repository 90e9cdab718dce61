import { isIPv6 } from 'node:net';
import { parseProxyConfig } from './proxy-config';
import { parseQuantityOrThrow } from './quantity';
import { ANNOTATION } from './pod-annotations';

/**
 * The per-pod annotations Istio validates before injecting (istio's AnnotationValidation), each with the check
 * kube-inject applies. A bad value stops the injection of the whole input, as it does in istioctl.
 */
const VALIDATORS: Readonly<Record<string, (value: string) => void>> = {
  [ANNOTATION.interceptionMode]: (v) => {
    if (!['REDIRECT', 'TPROXY', 'NONE'].includes(v)) throw new Error('must be REDIRECT, TPROXY or NONE');
  },
  [ANNOTATION.statusPort]: (v) => parsePort(v, 0),
  [ANNOTATION.readinessInitialDelaySeconds]: parseUint32,
  [ANNOTATION.readinessPeriodSeconds]: parseUint32,
  [ANNOTATION.readinessFailureThreshold]: parseUint32,
  [ANNOTATION.includeOutboundIPRanges]: (v) => {
    if (v !== '*') parseCidrList(v);
  },
  [ANNOTATION.excludeOutboundIPRanges]: parseCidrList,
  [ANNOTATION.includeInboundPorts]: (v) => {
    if (v !== '*') parsePortList(v);
  },
  [ANNOTATION.excludeInboundPorts]: parsePortList,
  [ANNOTATION.excludeOutboundPorts]: parsePortList,
  [ANNOTATION.excludeInterfaces]: parseInterfaceNames,
  [ANNOTATION.kubevirtInterfaces]: parseInterfaceNames,
  [ANNOTATION.rerouteVirtualInterfaces]: parseInterfaceNames,
  [ANNOTATION.prometheusMergeMetrics]: (v) => {
    if (parseGoBool(v) === undefined) throw new Error('must be true or false');
  },
  [ANNOTATION.proxyConfig]: (v) => parseProxyConfig(v),
  [ANNOTATION.proxyCPU]: parseQuantityOrThrow,
  [ANNOTATION.proxyMemory]: parseQuantityOrThrow,
  [ANNOTATION.proxyCPULimit]: parseQuantityOrThrow,
  [ANNOTATION.proxyMemoryLimit]: parseQuantityOrThrow,
};

/** Every invalid annotation, each message naming the annotation, its value and what would be valid. */
export function annotationErrors(annotations: Readonly<Record<string, string>>): string[] {
  const errors: string[] = [];
  for (const [name, value] of Object.entries(annotations)) {
    const validate = VALIDATORS[name];
    if (!validate) continue;
    try {
      validate(value);
    } catch (error) {
      errors.push(`annotation ${name}: invalid value ${JSON.stringify(value)}: ${(error as Error).message}`);
    }
  }
  return errors;
}

/**
 * A comma-separated list of ports. Each must be a number from 1 to 65535: istioctl also lets 0 through, but no
 * traffic uses port 0, so a 0 here is a mistake worth stopping for.
 */
export function parsePortList(value: string): number[] {
  const trimmed = value.trim();
  return trimmed === '' ? [] : trimmed.split(',').map((p) => parsePort(p, 1));
}

function parsePort(value: string, min: number): number {
  const text = value.trim();
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= min && port <= 65535)) throw new Error(`"${value}" is not a port number from ${min} to 65535`);
  return port;
}

function parseUint32(value: string): void {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff)
    throw new Error('must be a whole number from 0 to 4294967295');
}

/** Comma-separated CIDR ranges as Go's netip.ParsePrefix reads them: no spaces, no zones, no leading zeros. */
function parseCidrList(value: string): void {
  if (value === '') return;
  for (const cidr of value.split(',')) {
    const slash = cidr.lastIndexOf('/');
    const address = cidr.slice(0, slash);
    const bits = cidr.slice(slash + 1);
    const maxBits = isIPv4(address) ? 32 : isIPv6(address) && !address.includes('%') ? 128 : undefined;
    if (slash < 0 || maxBits === undefined || !/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > maxBits) {
      throw new Error(`"${cidr}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
    }
  }
}

function isIPv4(address: string): boolean {
  return /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(address);
}

/** Comma-separated Linux network interface names: at most 15 characters, no spaces or slashes. */
function parseInterfaceNames(value: string): void {
  if (value === '') return;
  for (const name of value.split(',')) {
    if (!/^[^\s/]{1,15}$/.test(name) || name === '.' || name === '..') {
      throw new Error(`"${name}" is not a network interface name`);
    }
  }
}

/** Go's strconv.ParseBool: the spellings Istio accepts for true and false. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}
