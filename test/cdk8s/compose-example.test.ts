import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { podSecurityViolations } from '../../pod-security/pod-security-standards';
import { findObject } from '../helpers/manifests';

// The README's "Compose your own mesh" example is examples/shop.ts, which `npm run typecheck` checks against the
// public API with the rest of the project: the README must show it as it is and, run, it must synthesize what it says.
const file = path.join(PROJECT_ROOT, 'examples', 'shop.ts');
const example = fs.readFileSync(file, 'utf8');

test('the README shows examples/shop.ts as it is', () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const shown = readme.match(/<!-- compose-example:[^>]*-->\n```ts\n([\s\S]*?)\n```\n/)?.[1];
  expect(`${shown}\n`).toBe(example);
  expect(example).toContain("from '../cdk8s'");
});

describe('run, it synthesizes the mesh it describes', () => {
  const objects = runExample();
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  test('Services with ports named by protocol, a ServiceAccount each, a hardened Deployment per version', () => {
    expect(findObject(objects, 'Service', 'payments').spec.ports).toEqual([
      { port: 8080, name: 'http' },
      { port: 9090, name: 'grpc' },
    ]);
    expect(byKind('ServiceAccount').map((o) => o.metadata.name)).toEqual(['frontend', 'payments']);
    expect(byKind('Deployment').map((o) => o.metadata.name)).toEqual(['frontend-v1', 'payments-v1', 'payments-v2']);
    expect(byKind('PodDisruptionBudget').map((o) => o.metadata.name)).toEqual(['payments-v1']);
    for (const deployment of byKind('Deployment')) {
      expect(deployment.metadata.namespace).toBe('shop');
      expect(podSecurityViolations(deployment.spec.template, 'restricted')).toEqual([]);
    }
  });

  test('sidecars injected, with CNI (no istio-init)', () => {
    for (const deployment of byKind('Deployment')) {
      const names = [
        ...(deployment.spec.template.spec.initContainers ?? []),
        ...deployment.spec.template.spec.containers,
      ].map((c: any) => c.name);
      expect(names).toContain('istio-proxy');
      expect(names).not.toContain('istio-init');
    }
  });

  test('subsets, the canary split, mTLS, and authorization by the caller’s identity', () => {
    expect(findObject(objects, 'DestinationRule', 'payments').spec.subsets.map((s: any) => s.name)).toEqual([
      'v1',
      'v2',
    ]);
    expect(
      findObject(objects, 'VirtualService', 'payments').spec.http[0].route.map((r: any) => [
        r.destination.subset,
        r.weight,
      ]),
    ).toEqual([
      ['v1', 90],
      ['v2', 10],
    ]);
    expect(findObject(objects, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(findObject(objects, 'AuthorizationPolicy', 'payments-callers').spec.rules).toEqual([
      {
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }],
        to: [{ operation: { methods: ['POST'], ports: ['8080'], paths: ['/pay'] } }],
      },
      {
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }],
        to: [{ operation: { ports: ['9090'] } }],
      },
    ]);
    expect(findObject(objects, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
  });
});

test('a bad value in such an app is refused early, naming it and what is valid', () => {
  const broken = example.replace(
    '{ from: frontend.identities, to: payments, port: 9090 }',
    '{ from: frontend.identities, to: payments, port: 9091 }',
  );
  expect(broken).not.toBe(example);
  expect(() => runExample(broken)).toThrow(
    'CallGraphAuthorization "authorization": call to payments: port = 9091: must be one of payments\'s ports: 8080, 9090',
  );
});

test('so are unknown methods and malformed paths', () => {
  const call = "{ from: frontend.identities, to: payments, methods: ['POST'], paths: ['/pay'] }";
  expect(example).toContain(call);
  expect(() => runExample(example.replace(call, call.replace("'POST'", "'FETCH'")))).toThrow(
    'call to payments: methods = ["FETCH"]: must be one or more of GET, HEAD, POST',
  );
  expect(() => runExample(example.replace(call, call.replace("'/pay'", "'pay now'")))).toThrow(
    'call to payments: path = "pay now": must be a path such as',
  );
});

/**
 * Bundles the example as it runs from examples/ (its packages left to Node's require, as installed),
 * runs it, and parses what it writes to stdout; an error it throws is thrown.
 */
function runExample(source = example): any[] {
  const bundle = buildSync({
    stdin: { contents: source, resolveDir: path.dirname(file), sourcefile: path.basename(file), loader: 'ts' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0].text;
  let stdout = '';
  const io = { ...process, stdout: { write: (text: string) => (stdout += text) } };
  // as Node runs a CommonJS file at the example's path, with the process's stdout captured
  const module = { exports: {} };
  const run = new Function('exports', 'require', 'module', '__filename', '__dirname', 'process', bundle);
  run(module.exports, createRequire(file), module, file, path.dirname(file), io);
  return parseAllDocuments(stdout).map((d) => d.toJS());
}
