import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Attempt } from '../process';
import { goInstall, goModDownload, type Tool } from './tool';

const ISTIO_MODULE = 'istio.io/istio';
const ISTIOCTL = `${ISTIO_MODULE}/istioctl/cmd/istioctl`;

/**
 * Builds of Istio the Go module proxy serves when a release tag is refused, nearest to a release first. Each says
 * what it is and how it differs from the release for what the checks use, so that a report can never pass one off
 * as the release. Only tried for the minor they are listed under.
 */
export interface IstioStandIn {
  /** The Go pseudo-version. */
  readonly version: string;
  readonly branch: string;
  readonly commit: string;
  readonly date: string;
  /** How it differs from the release, for validate, kube-inject and analyze. */
  readonly differences: string;
}

const RELEASE_1_30_BRANCH: IstioStandIn = {
  version: 'v0.0.0-20260826214018-9739e10eb9d7',
  branch: 'release-1.30',
  commit: '9739e10eb9d7',
  date: '2026-08-26',
  differences:
    "the release-1.30 branch after the 1.30.3 tag (VERSION 1.30): its charts' injection templates differ from 1.30.3's " +
    'only in quoting (`| quote` on the image, log-level and bootstrapOverride lines); pkg/kube/inject is the same ' +
    'apart from a test',
};

const RELEASE_1_31_BRANCH: IstioStandIn = {
  version: 'v0.0.0-20260827124520-eed52ebb66ad',
  branch: 'release-1.31',
  commit: 'eed52ebb66ad',
  date: '2026-08-27',
  differences:
    "the release-1.31 branch about 1.31.0 (VERSION 1.31): `validate` and `analyze` use 1.31's API types " +
    '(istio.io/api 1.31.0-rc.0) and analyzers, so a field 1.31 added passes and an analyzer 1.31 changed judges ' +
    'by 1.31; `kube-inject` runs the template, values and mesh config it is given (the charts of this stand-in ' +
    "for 1.31 environments, 1.30's for older ones) through 1.31's pkg/kube/inject, which differs from 1.30.3's only " +
    'by a ProxyInitImage parameter (unused by the 1.30 template) and a secure-metrics Prometheus annotation (only ' +
    'with ENVOY_SECURE_MERGED_METRICS_PORT, unset here)',
};

const MASTER_2026_04: IstioStandIn = {
  version: 'v0.0.0-20260423205519-b01690e6db7d',
  branch: 'master',
  commit: 'b01690e6db7d',
  date: '2026-04-23',
  differences: 'master in April 2026 (1.31 in development): API types and analyzers of an unreleased 1.31',
};

/** Stand-ins by the minor they stand in for, nearest first. */
const STAND_INS: Readonly<Record<string, readonly IstioStandIn[]>> = {
  '1.30': [RELEASE_1_30_BRANCH, RELEASE_1_31_BRANCH, MASTER_2026_04],
  '1.29': [RELEASE_1_30_BRANCH, RELEASE_1_31_BRANCH],
  // eed52eb is the commit GitHub's releases page gives for the 1.31.0 tag; built from its pseudo-version, not the tag
  '1.31': [RELEASE_1_31_BRANCH],
};

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

/** istioctl at exactly `version` (Istio's tags have no `v`), else the nearest stand-in the proxy serves. */
export async function installIstioctl(cache: string, version: string): Promise<Tool> {
  const attempts: Attempt[] = [];
  const tryBuild = async (moduleVersion: string, sumdbOff: boolean) => {
    const bindir = path.join(cache, 'istioctl', moduleVersion);
    const attempt = await goInstall(`istioctl ${moduleVersion}`, ISTIOCTL, moduleVersion, bindir, 'istioctl', {
      sumdbOff,
    });
    attempts.push(attempt);
    return attempt.outcome === 'installed' || attempt.outcome === 'cached' ? path.join(bindir, 'istioctl') : undefined;
  };
  const exact = await tryBuild(version, false);
  if (exact)
    return { name: 'istioctl', wanted: version, path: exact, version, source: `${ISTIOCTL}@${version}`, attempts };
  for (const standIn of STAND_INS[minorOf(version)] ?? []) {
    const built = await tryBuild(standIn.version, true);
    if (built) {
      return {
        name: 'istioctl',
        wanted: version,
        path: built,
        version: `${standIn.branch} at ${standIn.commit} (${standIn.date})`,
        source: `${ISTIOCTL}@${standIn.version}`,
        standIn: `NOT Istio ${version}: ${standIn.differences}`,
        attempts,
      };
    }
  }
  return { name: 'istioctl', wanted: version, attempts };
}

/**
 * Istio's Helm charts (`manifests/charts` of the istio.io/istio module) at `version`, else at the nearest stand-in:
 * what `helm template` renders into the objects istiod and the gateway run with. A module download only, no build.
 */
export function downloadIstioCharts(version: string): Tool {
  const attempts: Attempt[] = [];
  const found = (moduleVersion: string) => {
    const { attempt, source } = goModDownload(ISTIO_MODULE, moduleVersion, { sumdbOff: moduleVersion !== version });
    attempts.push(attempt);
    const charts = source && path.join(source.dir, 'manifests', 'charts');
    return charts && fs.existsSync(charts) ? charts : undefined;
  };
  const exact = found(version);
  if (exact) {
    return {
      name: 'Istio Helm charts',
      wanted: version,
      path: exact,
      version,
      source: `${ISTIO_MODULE}@${version}`,
      attempts,
    };
  }
  for (const standIn of STAND_INS[minorOf(version)] ?? []) {
    const charts = found(standIn.version);
    if (charts) {
      return {
        name: 'Istio Helm charts',
        wanted: version,
        path: charts,
        version: `${standIn.branch} at ${standIn.commit} (${standIn.date})`,
        source: `${ISTIO_MODULE}@${standIn.version} manifests/charts`,
        standIn: `NOT the ${version} charts: ${standIn.differences}`,
        attempts,
      };
    }
  }
  return { name: 'Istio Helm charts', wanted: version, attempts };
}
