// `npm run conformance -- --self-test`: plants each of the issue's faults in a temporary copy of what conformance
// judges and runs the check that must catch it. A fault is caught only if that check fails with a message that names
// it; a check that cannot run with the tools at hand says so (`cannot`), and never counts as caught.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Manifest } from '../kube/object';
import { synthesizeTerraform } from '../cdktf/terraform-app';
import { ENVIRONMENTS, loadEnvironments } from '../config';
import type { CheckResult, Toolbox } from './check';
import { injectionCheck } from './checks/injection';
import { policyCheck } from './checks/policy';
import { terraformCheck } from './checks/terraform';
import { validationCheck } from './checks/validation';
import { log } from './process';
import type { PlantedFault } from './report';
import { kubernetesFiles, parseObjects, type Subjects } from './subjects';

/** A copy of dist/ to plant a fault in. */
function copyDist(subjects: Subjects, tools: Toolbox, name: string): string {
  const dist = path.join(tools.work, `planted-${name}`, 'dist');
  fs.cpSync(subjects.dist, dist, { recursive: true });
  return dist;
}

/** Caught when the check failed and one of its failures contains every one of `names`. */
function verdictOf(fault: string, check: string, result: CheckResult, names: readonly string[]): PlantedFault {
  const naming = result.failures.find((f) => names.every((n) => f.includes(n)));
  if (result.status === 'failed' && naming) return { fault, check, outcome: 'caught', evidence: naming };
  if (result.status === 'not run' && !naming) return { fault, check, outcome: 'cannot', evidence: result.figure };
  return {
    fault,
    check,
    outcome: 'missed',
    evidence: `${result.status}: no failure names ${names.join(' and ')}${result.failures[0] ? `; first failure: ${result.failures[0]}` : ''}`,
  };
}

/** 1. A misspelt field (`wieght`) in a preset's VirtualService: `istioctl validate` must refuse it. */
function misspeltPresetField(subjects: Subjects, tools: Toolbox): PlantedFault {
  const fault = "a misspelt field (weight -> wieght) in preset reviews-80-20's VirtualService reviews";
  const preset = subjects.presets.find((p) => p.preset === 'reviews-80-20');
  if (!preset)
    return { fault, check: 'validation', outcome: 'missed', evidence: 'no preset reviews-80-20 to plant it in' };
  const objects = parseObjects(preset.yaml).map((o) => {
    if (o.kind !== 'VirtualService' || o.metadata.name !== 'reviews') return o;
    const planted = structuredClone(o) as Manifest & { spec: { http: { route: Record<string, unknown>[] }[] } };
    const route = planted.spec.http[0].route[0];
    route.wieght = route.weight;
    delete route.weight;
    return planted;
  });
  const planted = { ...preset, yaml: objects.map((o) => stringify(o)).join('---\n') };
  const empty = path.join(tools.work, 'planted-preset', 'dist');
  fs.mkdirSync(empty, { recursive: true });
  const result = validationCheck({ ...subjects, dist: empty, presets: [planted] }, tools);
  return verdictOf(fault, 'validation', result, ['reviews', 'wieght']);
}

/** 2. An injected field that differs from what istiod would write: an env value of reviews-v1's istio-proxy. */
function injectedFieldChanged(subjects: Subjects, tools: Toolbox): PlantedFault {
  const fault = 'an injected field changed: ISTIO_META_CLUSTER_ID of reviews-v1\'s istio-proxy set to "planted"';
  const env = subjects.environments.find((e) => e.injection.mode === 'manual');
  if (!env) return { fault, check: 'injection', outcome: 'missed', evidence: 'no environment injects at synth time' };
  const dist = copyDist(subjects, tools, 'injection');
  let planted = false;
  for (const file of kubernetesFiles(dist, env.name)) {
    const objects = parseObjects(fs.readFileSync(file, 'utf8')).map((o) => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'reviews-v1') return o;
      const copy = structuredClone(o) as Manifest & {
        spec: { template: { spec: Record<string, { name: string; env?: { name: string; value?: string }[] }[]> } };
      };
      const pod = copy.spec.template.spec;
      const proxy = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].find((c) => c.name === 'istio-proxy');
      const variable = proxy?.env?.find((e) => e.name === 'ISTIO_META_CLUSTER_ID');
      if (variable) {
        variable.value = 'planted';
        planted = true;
      }
      return copy;
    });
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  }
  if (!planted)
    return {
      fault,
      check: 'injection',
      outcome: 'missed',
      evidence: 'reviews-v1 has no istio-proxy with ISTIO_META_CLUSTER_ID to plant it in',
    };
  const result = injectionCheck({ ...subjects, dist, environments: [env], injectFixtures: [] }, tools);
  return verdictOf(fault, 'injection', result, ['reviews-v1', 'ISTIO_META_CLUSTER_ID', 'planted']);
}

/** The first GKE stack's cluster resource in a dist copy, changed by `plant`. */
function plantInCluster(dist: string, plant: (cluster: Record<string, unknown>) => void): string | undefined {
  const stacks = path.join(dist, 'cdktf', 'stacks');
  for (const id of fs.readdirSync(stacks).sort()) {
    const file = path.join(stacks, id, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
    };
    const clusters = json.resource?.google_container_cluster;
    if (!clusters) continue;
    const [name] = Object.keys(clusters);
    plant(clusters[name]);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    return `${id}/google_container_cluster.${name}`;
  }
  return undefined;
}

/**
 * 3. Two conflicting attributes in the cluster resource: `cluster_ipv4_cidr` beside `ip_allocation_policy`, which the
 * google provider declares ConflictsWith. Only the provider's schema knows that, so only `tofu validate` with the
 * provider can catch it.
 */
function conflictingClusterAttributes(subjects: Subjects, tools: Toolbox): PlantedFault {
  const fault = 'two conflicting attributes in the cluster resource: cluster_ipv4_cidr beside ip_allocation_policy';
  const dist = copyDist(subjects, tools, 'conflict');
  const where = plantInCluster(dist, (cluster) => (cluster.cluster_ipv4_cidr = '10.0.0.0/14'));
  if (!where) return { fault, check: 'terraform', outcome: 'missed', evidence: 'no cluster resource to plant it in' };
  const result = terraformCheck({ ...subjects, dist }, tools);
  const verdict = verdictOf(fault, 'terraform', result, ['cluster_ipv4_cidr']);
  return verdict.outcome === 'cannot'
    ? {
        ...verdict,
        evidence:
          `not caught, and it cannot be here: OpenTofu loads ${where} without complaint (the language accepts any ` +
          "attribute name); only the google provider's schema (ConflictsWith) refuses it, in tofu validate, which did not " +
          `run because the provider could not be had (${result.figure})`,
      }
    : verdict;
}

/** 3b. What OpenTofu can catch without providers: a misspelt lifecycle argument in the cluster resource. */
function misspeltLifecycleArgument(subjects: Subjects, tools: Toolbox): PlantedFault {
  const fault = 'a misspelt meta-argument in the cluster resource: lifecycle.prevent_destory';
  const dist = copyDist(subjects, tools, 'lifecycle');
  const where = plantInCluster(dist, (cluster) => (cluster.lifecycle = { prevent_destory: true }));
  if (!where) return { fault, check: 'terraform', outcome: 'missed', evidence: 'no cluster resource to plant it in' };
  return verdictOf(fault, 'terraform', terraformCheck({ ...subjects, dist }, tools), ['prevent_destory']);
}

/**
 * 4. A Checkov check broken by a config change: the default environment's control plane opened to 0.0.0.0/0, which
 * fails CKV_GCP_18 (GKE control plane not public). The Terraform is synthesized from the changed config.
 */
function checkovBrokenByConfig(subjects: Subjects, tools: Toolbox): PlantedFault {
  const fault =
    "a config change that breaks a Checkov check: the default cluster's masterAuthorizedNetworks admits 0.0.0.0/0";
  const inputs = ENVIRONMENTS.map((e) =>
    e.name === 'default'
      ? {
          ...e,
          cluster: { ...e.cluster, masterAuthorizedNetworks: [{ cidrBlock: '0.0.0.0/0', displayName: 'everyone' }] },
        }
      : e,
  );
  const environments = loadEnvironments(inputs);
  const dist = path.join(tools.work, 'planted-config', 'dist');
  fs.mkdirSync(dist, { recursive: true });
  synthesizeTerraform(environments, path.join(dist, 'cdktf'));
  const result = policyCheck({ ...subjects, dist, environments }, tools);
  return verdictOf(fault, 'policy', result, ['CKV_GCP_18', 'default-gke']);
}

export function selfTest(subjects: Subjects, tools: Toolbox): PlantedFault[] {
  const faults = [
    misspeltPresetField,
    injectedFieldChanged,
    conflictingClusterAttributes,
    misspeltLifecycleArgument,
    checkovBrokenByConfig,
  ];
  return faults.map((plant) => {
    const result = plant(subjects, tools);
    log(`self-test: ${result.outcome}: ${result.fault}`);
    return result;
  });
}
