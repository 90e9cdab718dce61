import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesizeToDist } from '../../pipeline/synthesize';
import { loadEnvironments } from '../../config';
import { testEnvironment, testEnvironmentInput } from '../helpers/environments';
import { onlyResource, synthesizeStacks } from '../helpers/terraform';

/**
 * Binary Authorization's allowlist matching, as Google documents `admissionWhitelistPatterns.namePattern`: `*` matches
 * within one path segment (never a `/`), a trailing `**` matches any depth; the tag or digest is part of what `*`
 * may match.
 */
function admits(patterns: readonly string[], image: string): boolean {
  return patterns.some((pattern) => {
    const regex = pattern
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${regex}$`).test(image);
  });
}

describe('hardened by default: only the configured hubs and GKE’s own images run', () => {
  const env = testEnvironment();
  const gke = synthesizeStacks([env]).json('test-gke');
  const policy = onlyResource(gke, 'google_binary_authorization_policy');
  const patterns: string[] = policy.admission_whitelist_patterns.map((p: { name_pattern: string }) => p.name_pattern);

  test('a policy that blocks every image by default, and admits GKE system images through the global policy', () => {
    expect(policy.default_admission_rule).toEqual({
      evaluation_mode: 'ALWAYS_DENY',
      enforcement_mode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
    });
    expect(policy.global_policy_evaluation_mode).toBe('ENABLE');
    expect(patterns).toEqual(['docker.io/istio/*']);
  });

  test('the cluster enforces it, and is created only once it exists', () => {
    const cluster = onlyResource(gke, 'google_container_cluster');
    expect(cluster.binary_authorization).toEqual({ evaluation_mode: 'PROJECT_SINGLETON_POLICY_ENFORCE' });
    expect(cluster.depends_on).toContain(
      `google_binary_authorization_policy.${Object.keys(gke.resource.google_binary_authorization_policy)[0]}`,
    );
  });

  test('admits every image the environment runs, and nothing from elsewhere', () => {
    const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'binauthz-')), 'dist');
    synthesizeToDist([env], dist);
    const dir = path.join(dist, 'cdk8s', 'test');
    const images = fs
      .readdirSync(dir)
      .flatMap((file) =>
        parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => JSON.stringify(d.toJS())),
      )
      .flatMap((json) => [...json.matchAll(/"image":"([^"]+)"/g)].map((m) => m[1]));
    expect(images.length).toBeGreaterThan(6);
    // The charts' images: <hub>/<image>:<version>.
    images.push('docker.io/istio/pilot:1.30.5', 'docker.io/istio/install-cni:1.30.5', 'docker.io/istio/proxyv2:1.30.5');
    expect(images.filter((image) => !admits(patterns, image))).toEqual([]);
    for (const outsider of [
      'docker.io/library/nginx:1.27',
      'docker.io/istio-evil/proxyv2:1.30.5',
      'docker.io/istio/x/y:1',
      'ghcr.io/someone/miner:latest',
    ]) {
      expect({ outsider, admitted: admits(patterns, outsider) }).toEqual({ outsider, admitted: false });
    }
  });

  test('admits the hubs of the environment: Istio’s, Bookinfo’s, the proxy image’s, and what config adds', () => {
    const own = testEnvironment((e) => {
      e.istio = { version: '1.30.5', hub: 'europe-docker.pkg.dev/my-project/istio' };
      e.bookinfo = { registry: 'us-docker.pkg.dev/my-project/apps' };
      e.injection = { proxyImage: 'registry.example.com/mesh/proxyv2:1.30.5-distroless' };
      e.cluster.admittedImages = ['us-docker.pkg.dev/my-project/tools/**'];
    });
    const ownPolicy = onlyResource(synthesizeStacks([own]).json('test-gke'), 'google_binary_authorization_policy');
    expect(ownPolicy.admission_whitelist_patterns.map((p: { name_pattern: string }) => p.name_pattern)).toEqual([
      'europe-docker.pkg.dev/my-project/istio/*',
      'registry.example.com/mesh/*',
      'us-docker.pkg.dev/my-project/apps/*',
      'us-docker.pkg.dev/my-project/tools/**',
    ]);
  });

  test("Cloud Service Mesh's managed proxies are admitted with that mode only", () => {
    const managed = testEnvironment((e) => (e.mesh = { mode: 'cloud-service-mesh' }));
    const managedPolicy = onlyResource(
      synthesizeStacks([managed]).json('test-gke'),
      'google_binary_authorization_policy',
    );
    expect(managedPolicy.admission_whitelist_patterns).toContainEqual({ name_pattern: 'gcr.io/gke-release/asm/*' });
  });

  test('a malformed admitted pattern is a config error naming it', () => {
    expect(() =>
      loadEnvironments([testEnvironmentInput((e) => (e.cluster.admittedImages = ['https://ghcr.io/me/*']))]),
    ).toThrow(/cluster\.admittedImages\.0 = "https:\/\/ghcr\.io\/me\/\*": must be an image name pattern/);
  });

  test('the matcher used here follows the documented wildcards (the check can fail)', () => {
    expect(admits(['gcr.io/nginx*'], 'gcr.io/nginx@latest')).toBe(true);
    expect(admits(['gcr.io/nginx*'], 'gcr.io/nginx/image')).toBe(false);
    expect(admits(['gcr.io/nginx**'], 'gcr.io/nginx/image')).toBe(true);
  });
});
