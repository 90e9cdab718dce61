import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  GKE_CHANNEL_KUBERNETES,
  ISTIO_RELEASES,
  ISTIO_UPGRADE_NOTES,
  istioMinor,
  type Environment,
  type IstioMinor,
} from '../config';
import { helmReleases, type HelmRelease } from '../cdktf/helm-releases';
import { BUNDLE_VERSION_ANNOTATION, GATEWAY_API_GROUP, isGatewayApiCrdName } from '../kube/gateway-api';
import { parseManifests } from '../kube/manifest-reader';
import type { KubeObject, Manifest } from '../kube/object';
import { isWorkload, podTemplateOf } from '../kube/workload-kinds';
import { PROXY_CONTAINER, REVISION_LABEL } from '../kube/sidecar-injection';
import { compareVersions } from '../kube/versions';

/**
 * `npm run precheck`: offline, in the spirit of `istioctl x precheck` and Istio's upgrade notes, what would go wrong
 * with the Istio releases an environment runs, judged from its configuration and its synthesized dist/: Kubernetes
 * versions of the cluster's GKE channel against each release's supported range, the Gateway API CRDs each release
 * requires, what changed between the releases in use, sidecars injected by another release than the control plane
 * their namespace points at (what IST0105 finds in a cluster), and tags that point at no revision.
 */

export type PrecheckName = 'kubernetes' | 'gateway-api' | 'upgrade-notes' | 'sidecar-release' | 'revision-tags';

export interface PrecheckFinding {
  readonly environment: string;
  readonly check: PrecheckName;
  readonly message: string;
}

export interface PrecheckReport {
  /** Problems found. */
  readonly findings: readonly PrecheckFinding[];
  /** What could not be told (missing dist/ output, CRDs outside dist/). */
  readonly unknown: readonly PrecheckFinding[];
  /** What was checked, for the record. */
  readonly checked: readonly string[];
}

/** An istiod release of the mesh stack, as dist/ holds it. */
interface IstiodRelease {
  readonly revision: string;
  readonly version: string;
  readonly tags: readonly string[];
  readonly values: Record<string, unknown>;
}

const minorNumber = (minor: string) => Number(minor.split('.')[1]);

export function precheck(environments: readonly Environment[], dist: string): PrecheckReport {
  const findings: PrecheckFinding[] = [];
  const unknown: PrecheckFinding[] = [];
  const checked: string[] = [];
  for (const env of environments) {
    const add = (list: PrecheckFinding[], check: PrecheckName, message: string) =>
      list.push({ environment: env.name, check, message });
    if (env.mesh.mode !== 'istio-helm') {
      checked.push(`${env.name}: not checked: mesh.mode ${env.mesh.mode} runs a control plane Google manages`);
      continue;
    }
    const versions = [...new Set(env.istio.controlPlanes.map((cp) => cp.version))];
    const minors = [...new Set(versions.map(istioMinor))] as IstioMinor[];
    checked.push(`${env.name}: Istio ${versions.join(', ')} on the GKE ${env.cluster.releaseChannel} channel`);

    // 1. the channel's Kubernetes versions against each release's range
    const channel = GKE_CHANNEL_KUBERNETES[env.cluster.releaseChannel];
    for (const minor of minors) {
      const supported = ISTIO_RELEASES[minor].kubernetes;
      const outside = kubernetesMinors(channel.oldest, channel.newest).filter(
        (k) => minorNumber(k) < minorNumber(supported.oldest) || minorNumber(k) > minorNumber(supported.newest),
      );
      if (outside.length > 0) {
        add(
          findings,
          'kubernetes',
          `the GKE ${env.cluster.releaseChannel} channel runs Kubernetes ${channel.oldest} to ${channel.newest}, ` +
            `Istio ${minor} supports ${supported.oldest} to ${supported.newest}: ${outside.join(', ')} outside it`,
        );
      }
    }

    const objects = distObjects(dist, env.name);
    const stack = meshStack(dist, env.name);
    if (objects === undefined) {
      add(unknown, 'sidecar-release', `no dist/cdk8s/${env.name}/: run npm run synth first`);
      continue;
    }
    if (stack === undefined) {
      add(unknown, 'revision-tags', `no mesh stack in dist/cdktf/stacks/${env.name}-mesh/: run npm run synth first`);
      continue;
    }

    // 2. Gateway API CRDs each release requires
    const gatewayObjects = objects.filter((o) => String(o.apiVersion).startsWith(`${GATEWAY_API_GROUP}/`));
    // the CRDs applied with the Kubernetes output, or installed by the mesh stack from a chart of the project's own
    const crds = [...objects, ...localChartObjects(dist, env.name, stack)].filter(
      (o) => o.kind === 'CustomResourceDefinition' && isGatewayApiCrdName(String(o.metadata?.name ?? '')),
    );
    const required = minors.map((m) => ({ minor: m, version: ISTIO_RELEASES[m].gatewayApi }));
    if (crds.length > 0) {
      for (const crd of crds) {
        const bundle = (crd.metadata?.annotations as Record<string, string> | undefined)?.[BUNDLE_VERSION_ANNOTATION];
        for (const r of required.filter((r) => bundle === undefined || compareVersions(bundle, r.version) < 0)) {
          add(
            findings,
            'gateway-api',
            `CRD ${crd.metadata?.name} is Gateway API ${bundle ?? '(no bundle-version)'}, Istio ${r.minor} requires ${r.version}`,
          );
        }
      }
    } else if (gatewayObjects.length > 0) {
      add(
        unknown,
        'gateway-api',
        `${gatewayObjects.length} Gateway API objects, but neither the Kubernetes output nor the mesh stack installs ` +
          'their CRDs (installed outside dist/): make sure ' +
          `they are at least ${required.map((r) => `${r.version} (Istio ${r.minor})`).join(', ')}`,
      );
    }

    // 3. what changed between the releases in use
    const istiods = istiodReleases(stack);
    for (const note of ISTIO_UPGRADE_NOTES) {
      const before = minors.filter((m) => minorNumber(m) < minorNumber(note.minor));
      if (before.length === 0) continue;
      const after = minors.filter((m) => minorNumber(m) >= minorNumber(note.minor));
      const users = noteUsers(note, objects, istiods);
      if (users.length === 0) continue;
      if (note.change === 'changed' && after.length === 0) continue;
      add(
        findings,
        'upgrade-notes',
        `${note.kind} ${note.name} (${users.slice(0, 3).join(', ')}${users.length > 3 ? ', ...' : ''}): ${note.change} ` +
          `in Istio ${note.minor}, ${note.what}; in use with Istio ${before.join(', ')} (source: ${note.source})`,
      );
    }

    // 4 and 5. each namespace's control plane; the release of its sidecars
    const resolve = (label: string) =>
      istiods.find((r) => r.revision === label) ?? istiods.find((r) => r.tags.includes(label));
    const gateway = releaseValues(stack, 'gateway');
    const gatewayRevision = typeof gateway?.revision === 'string' ? gateway.revision : undefined;
    if (gatewayRevision !== undefined && resolve(gatewayRevision) === undefined) {
      add(
        findings,
        'revision-tags',
        `the ingress gateway is on ${gatewayRevision}, which is no tag or revision ${known(istiods)}`,
      );
    }
    const namespaces = new Map(
      objects.filter((o) => o.kind === 'Namespace').map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels ?? {}]),
    );
    for (const [namespace, labels] of namespaces) {
      const label = (labels as Record<string, string>)[REVISION_LABEL];
      const plane = label === undefined ? istiods.find((r) => r.revision === '') : resolve(label);
      if (label !== undefined && plane === undefined) {
        add(
          findings,
          'revision-tags',
          `namespace ${namespace} is on istio.io/rev ${label}, which is no tag or revision ${known(istiods)}`,
        );
        continue;
      }
      for (const workload of objects.filter(
        (o) => isWorkload(o as KubeObject) && o.metadata?.namespace === namespace,
      )) {
        const pod = podTemplateOf(workload as KubeObject);
        const status = pod.metadata.annotations?.['sidecar.istio.io/status'];
        if (status === undefined || plane === undefined) continue;
        const injected = (JSON.parse(status) as { revision?: string }).revision ?? 'default';
        const proxy = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find(
          (c) => c.name === PROXY_CONTAINER,
        );
        const tag = proxy?.image?.slice(proxy.image.lastIndexOf(':') + 1);
        const name = `${workload.kind} ${namespace}/${workload.metadata?.name}`;
        const expectedRevision = plane.revision || 'default';
        if (injected !== expectedRevision) {
          add(
            findings,
            'sidecar-release',
            `${name}: sidecar injected by revision ${injected}, but its namespace points at ${expectedRevision} (Istio ${plane.version})`,
          );
        } else if (tag !== undefined && !tag.startsWith(plane.version)) {
          add(
            findings,
            'sidecar-release',
            `${name}: proxy ${proxy?.image} is not Istio ${plane.version}, the release its namespace points at`,
          );
        }
      }
    }
  }
  return { findings, unknown, checked };
}

function known(istiods: readonly IstiodRelease[]): string {
  const names = istiods.flatMap((r) => [...r.tags, r.revision].filter((n) => n !== ''));
  return names.length > 0 ? `(the mesh stack has ${names.join(', ')})` : '(the mesh stack has no revisions)';
}

/** What of dist/ uses what a note is about. */
function noteUsers(
  note: (typeof ISTIO_UPGRADE_NOTES)[number],
  objects: readonly Manifest[],
  istiods: readonly IstiodRelease[],
): string[] {
  const workloads = objects.filter((o) => isWorkload(o as KubeObject));
  const id = (o: Manifest) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  switch (note.kind) {
    case 'value':
      return istiods
        .filter((r) => valueAt(r.values, note.name) !== undefined)
        .map((r) => `istiod ${r.revision || 'default'}`);
    case 'env':
      return [
        ...istiods
          .filter((r) => valueAt(r.values, `pilot.env.${note.name}`) !== undefined)
          .map((r) => `istiod ${r.revision || 'default'}`),
        ...workloads
          .filter((w) => {
            const pod = podTemplateOf(w as KubeObject);
            return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].some((c) =>
              (c.env ?? []).some((e) => e.name === note.name),
            );
          })
          .map(id),
      ];
    case 'annotation':
      return workloads
        .filter((w) => podTemplateOf(w as KubeObject).metadata.annotations?.[note.name] !== undefined)
        .map(id);
    case 'label':
      // the canonical name 1.31 would trim differently: a name starting or ending with "-", "_" or "."
      return workloads
        .filter((w) => /^[-_.]|[-_.]$/.test(podTemplateOf(w as KubeObject).metadata.labels?.[note.name] ?? ''))
        .map(id);
  }
}

function valueAt(obj: unknown, dotted: string): unknown {
  let at = obj;
  for (const key of dotted.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function kubernetesMinors(oldest: string, newest: string): string[] {
  const out: string[] = [];
  for (let m = minorNumber(oldest); m <= minorNumber(newest); m++) out.push(`1.${m}`);
  return out;
}

function distObjects(dist: string, env: string): Manifest[] | undefined {
  const dir = path.join(dist, 'cdk8s', env);
  if (!fs.existsSync(dir)) return undefined;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseManifests(fs.readFileSync(path.join(dir, f), 'utf8'), f).map((m) => m.manifest));
}

/** The objects of the mesh stack's releases whose chart is a folder in dist/ (the Gateway API CRDs' chart). */
function localChartObjects(dist: string, env: string, stack: readonly HelmRelease[]): Manifest[] {
  const stackDir = path.join(dist, 'cdktf', 'stacks', `${env}-mesh`);
  return stack.flatMap((release) => {
    const templates = path.join(stackDir, release.chart, 'templates');
    if (!release.chart.startsWith('assets/') || !fs.existsSync(templates)) return [];
    return fs
      .readdirSync(templates)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => parseManifests(fs.readFileSync(path.join(templates, f), 'utf8'), f).map((m) => m.manifest));
  });
}

function meshStack(dist: string, env: string): HelmRelease[] | undefined {
  const file = path.join(dist, 'cdktf', 'stacks', `${env}-mesh`, 'cdk.tf.json');
  return fs.existsSync(file) ? helmReleases(file) : undefined;
}

function valuesOf(release: HelmRelease): Record<string, unknown> {
  return (release.values?.[0] ? parse(release.values[0]) : {}) as Record<string, unknown>;
}

function releaseValues(stack: readonly HelmRelease[], chart: string): Record<string, unknown> | undefined {
  const release = stack.find((r) => r.chart === chart);
  return release ? valuesOf(release) : undefined;
}

function istiodReleases(stack: readonly HelmRelease[]): IstiodRelease[] {
  return stack
    .filter((r) => r.chart === 'istiod')
    .map((r) => {
      const values = valuesOf(r);
      return {
        revision: typeof values.revision === 'string' ? values.revision : '',
        version: r.version,
        tags: Array.isArray(values.revisionTags) ? values.revisionTags.map(String) : [],
        values,
      };
    });
}
