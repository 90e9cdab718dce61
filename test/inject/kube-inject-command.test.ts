import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubeInjectCommand, type InjectionWorkers } from '../../cli/kube-inject-command';
import { loadEnvironments, sidecarInjection } from '../../config';
import { podSecurityLevel } from '../../inject/namespace-labels';
import { SidecarInjector } from '../../inject/sidecar-injector';
import { podSecurityViolations } from '../../pod-security/pod-security-standards';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { runInProcess } from '../helpers/in-process';
import { FIXTURES, envOf, fixture, names, parseYamlStream, podOf, proxyOf } from './helpers';

/**
 * Runs the command in process, as `npm run -s kube-inject -- <args>` would (with `workers`, a large input on worker
 * threads); `error` is the message of a failed run, as printed after `error: `.
 */
const kubeInject = (args: string[], input?: string, workers?: InjectionWorkers) =>
  runInProcess(kubeInjectCommand(workers), args, input);

/** The real command line: `node cli/run.mjs kube-inject ...`, what the npm script runs. */
function kubeInjectProcess(args: string[], input?: string) {
  return spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'run.mjs'), 'kube-inject', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    input,
  });
}
const NO_ENV_NOTE =
  "note: no --env: injecting with Istio 1.30.3's default values and mesh config (as istioctl with a default " +
  "install), not an environment's settings; give --env NAME for one of ours\n";
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kube-inject-'));
const bookinfo = path.join(FIXTURES, 'bookinfo.yaml');
const hello = path.join(FIXTURES, 'hello.yaml');

describe('the command line (node cli/run.mjs kube-inject)', () => {
  test('reads stdin with -f - and writes the injected YAML to stdout', () => {
    const run = kubeInjectProcess(['-f', '-'], fs.readFileSync(hello, 'utf8'));
    // without --env it says whose settings it injects with
    expect(run.stderr).toMatch(/^note: no --env: injecting with Istio 1\.30\.3's default values and mesh config/);
    expect(run.status).toBe(0);
    expect(parseYamlStream(run.stdout)).toEqual(fixture('hello.native.injected.yaml'));
  });

  test('-o writes the file, complete, and nothing to stdout', () => {
    const out = path.join(tmp(), 'injected.yaml');
    const run = kubeInjectProcess(['-f', bookinfo, '-o', out]);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, '', NO_ENV_NOTE]);
    expect(parseYamlStream(fs.readFileSync(out, 'utf8'))).toHaveLength(14);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['injected.yaml']);
  });

  test('bad input: the error on stderr, exit code 1, nothing on stdout', () => {
    const run = kubeInjectProcess(['-f', '-'], 'a: 1\n---\nb: [\n---\n');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^note: .*\nerror: stdin:4: document 2 is not valid YAML: /);
  });
});

describe('a large input is injected on worker threads: the same output and errors as on one thread', () => {
  // the command's bundle is what a worker thread runs (built by a run of the command line)
  const script = path.join(PROJECT_ROOT, '.build', 'kube-inject.cjs');
  beforeAll(() => expect(kubeInjectProcess(['--help']).status).toBe(0));
  // every workload kind, Lists, comments, opted-out workloads, long lines, several times: more than a batch
  const parts = ['kinds.yaml', 'annotations.yaml', 'bookinfo.yaml'].map((name) =>
    fs.readFileSync(path.join(FIXTURES, name), 'utf8'),
  );
  const stream = [...parts, ...parts, ...parts, ...parts].join('---\n');
  const pod = (annotation: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ${annotation}\nspec:\n  containers:\n    - name: c\n      image: x/c:1\n`;
  /** The command with worker threads (whatever the input's size) and on one thread, on `text` as a file. */
  const both = (text: string) => {
    const file = path.join(tmp(), 'big.yaml');
    fs.writeFileSync(file, text);
    return {
      workers: kubeInject(['-f', file], undefined, { script, fromBytes: 0 }),
      oneThread: kubeInject(['-f', file]),
    };
  };

  test('every document in input order, with the warnings', () => {
    const { workers, oneThread } = both(stream);
    expect(oneThread.status).toBe(0);
    expect(oneThread.stderr).toContain('is not injected');
    expect(workers).toEqual(oneThread);
  });

  test('the first workload that cannot be injected wins over a later one and over a later syntax error', () => {
    const bad = pod('traffic.sidecar.istio.io/excludeInboundPorts: "65536"');
    const later = pod('traffic.sidecar.istio.io/excludeOutboundPorts: "0"');
    const { workers, oneThread } = both([stream, bad, stream, later, 'kind: [\n'].join('---\n'));
    expect(oneThread.error).toMatch(
      /big\.yaml: document \d+ \(line \d+\): Pod "p": annotation traffic.sidecar.istio.io\/excludeInboundPorts/,
    );
    expect(workers).toEqual({
      status: 1,
      stdout: '',
      stderr: `${NO_ENV_NOTE}error: ${oneThread.error}\n`,
      error: oneThread.error,
    });
  });

  test("the reader's error, when every workload before it can be injected", () => {
    const { workers, oneThread } = both(`${stream}---\n- a list\n---\n${stream}`);
    expect(oneThread.error).toMatch(/big\.yaml:\d+: document \d+ is not an object/);
    expect(workers).toEqual({
      status: 1,
      stdout: '',
      stderr: `${NO_ENV_NOTE}error: ${oneThread.error}\n`,
      error: oneThread.error,
    });
  });
});

test('writes the injected stream, every document in input order', () => {
  const run = kubeInject(['-f', bookinfo]);
  expect([run.status, run.stderr]).toEqual([0, NO_ENV_NOTE]);
  const out = parseYamlStream(run.stdout);
  const input = fixture('bookinfo.yaml');
  expect(out.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(input.map((o) => `${o.kind}/${o.metadata?.name}`));
  expect(out.filter((o) => o.kind === 'Service')).toEqual(input.filter((o) => o.kind === 'Service'));
  for (const d of out.filter((o) => o.kind === 'Deployment')) {
    expect(names(podOf(d).spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
  }
});

test('options: --native-sidecars=false, --cni, --revision, --proxy-image', () => {
  const run = kubeInject([
    '-f',
    hello,
    '--native-sidecars=false',
    '--cni',
    '--revision',
    'canary',
    '--proxy-image',
    'mirror.example.com/istio/proxyv2:1.30.3',
  ]);
  expect(run.stderr).toMatch(/^note: no --env/);
  const pod = podOf(parseYamlStream(run.stdout)[0]);
  expect(names(pod.spec.containers)).toEqual(['hello', 'istio-proxy']);
  expect(names(pod.spec.initContainers)).toEqual(['istio-validation']);
  expect(envOf(proxyOf(pod.spec), 'CA_ADDR')?.value).toBe('istiod-canary.istio-system.svc:15012');
  expect(proxyOf(pod.spec).image).toBe('mirror.example.com/istio/proxyv2:1.30.3');
});

test('documents that are not workloads pass through as written, comments included; workloads left out are reported', () => {
  const run = kubeInject(['-f', path.join(FIXTURES, 'kinds.yaml'), '-f', path.join(FIXTURES, 'annotations.yaml')]);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('    - port: 80 # a comment that survives');
  expect(run.stdout).toContain('apiVersion: extensions/v1beta1');
  expect(run.stderr).toContain(
    'warning: Deployment "shop/opt-out-annotation" is not injected: it opts out (sidecar.istio.io/inject: "false")\n',
  );
});

describe('bad input: an error naming what is wrong, nothing on stdout and no -o file', () => {
  /** Exit 1 for bad input, 2 for a usage error. */
  function expectFailure(args: string[], message: RegExp | string, input?: string, status = 1) {
    const dir = tmp();
    const run = kubeInject([...args, '-o', path.join(dir, 'out.yaml')], input);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe('');
    expect(run.error).toMatch(message);
    expect(fs.readdirSync(dir)).toEqual([]);
  }

  test('YAML that does not parse: which document and line', () => {
    expectFailure(
      ['-f', '-'],
      /^stdin:6: document 3 is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
      'a: 1\n---\nb: 2\n---\nc: [\n',
    );
  });

  test('a workload without a pod template', () => {
    expectFailure(
      ['-f', '-'],
      'stdin: document 1 (line 1): Deployment "d" has no pod template: spec.template is missing',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 1\n',
    );
  });

  test.each([
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0/33'],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', 'not-a-cidr'],
    ['traffic.sidecar.istio.io/includeInboundPorts', '80,http'],
    ['traffic.sidecar.istio.io/excludeInboundPorts', '65536'],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '0'],
  ])('an invalid %s', (annotation, value) => {
    const yaml = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ${annotation}: "${value}"\nspec:\n  containers:\n    - name: c\n      image: x/c:1\n`;
    expectFailure(
      ['-f', '-'],
      `stdin: document 1 (line 1): Pod "p": annotation ${annotation}: invalid value "${value}"`,
      yaml,
    );
  });

  test('a later bad file fails the whole run', () => {
    const bad = path.join(tmp(), 'bad.yaml');
    fs.writeFileSync(bad, 'kind: [\n');
    expectFailure(['-f', bookinfo, '-f', bad], /bad\.yaml:2: document 1 is not valid YAML/);
  });

  test('a file that does not exist, a bad option value, no input, an unknown option', () => {
    expectFailure(['-f', '/nonexistent/bookinfo.yaml'], 'cannot read /nonexistent/bookinfo.yaml: ENOENT');
    expectFailure(['-f', bookinfo, '--native-sidecars=maybe'], '--native-sidecars=maybe: must be true or false');
    expectFailure(['-f', bookinfo, '--revision', 'Canary_1'], /--revision "Canary_1": must be a DNS label/);
    expectFailure([], /no input: give -f FILE/, undefined, 2);
    expectFailure(['-f', bookinfo, '--colour'], /Unknown option '--colour'/, undefined, 2);
  });

  test('an existing -o file is left untouched on error', () => {
    const out = path.join(tmp(), 'out.yaml');
    fs.writeFileSync(out, 'previous content\n');
    expect(kubeInject(['-f', '-', '-o', out], 'kind: [\n').status).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous content\n');
  });
});

/** A run that fails with `message`, writing nothing. */
function fails(args: string[], message: RegExp) {
  const run = kubeInject(args);
  expect([run.status, run.stdout]).toEqual([1, '']);
  expect(run.error).toMatch(message);
}

describe("--env NAME: that environment's control plane settings", () => {
  const environments = loadEnvironments();
  const pod = (text: string) => podOf(parseYamlStream(text)[0]);

  test.each(environments.map((env) => [env.name, env] as const))(
    '%s: the same sidecar as the synth injects, and no note',
    (name, env) => {
      const run = kubeInject(['-f', hello, '--env', name]);
      expect([run.status, run.stderr]).toEqual([0, '']);
      const expected = new SidecarInjector(sidecarInjection(env).injector).inject(fixture('hello.yaml')[0]).object;
      expect(parseYamlStream(run.stdout)[0]).toEqual(expected);
    },
  );

  // A pod that meets `restricted` on its own: what injection adds must keep it within the namespace's level.
  const hardened = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: web}',
    'spec:',
    '  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}',
    '  containers:',
    '  - name: web',
    '    image: example.com/web:1',
    '    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsUser: 1000}',
    '',
  ].join('\n');
  test.each(environments.map((env) => [env.name, env] as const))(
    "%s: the pods pass the Pod Security level of that environment's namespace",
    (name, env) => {
      const level = podSecurityLevel(sidecarInjection(env));
      const run = kubeInject(['-f', '-', '--env', name], hardened);
      expect(podSecurityViolations(pod(run.stdout), level)).toEqual([]);
    },
  );

  test("without --env, istioctl's defaults: istio-init needs NET_ADMIN as root, which restricted refuses", () => {
    const violations = podSecurityViolations(pod(kubeInject(['-f', '-'], hardened).stdout), 'restricted');
    expect(violations.map((v) => v.field).join(' ')).toMatch(/istio-init/);
  });

  test('an unknown environment is refused, listing the configured ones', () => {
    fails(
      ['-f', hello, '--env', 'nope'],
      new RegExp(`--env nope: no such environment; configured: ${environments[0].name}`),
    );
  });
});

describe('--valuesFile and --meshConfigFile: partial files merged over the defaults', () => {
  const write = (name: string, text: string) => {
    const file = path.join(tmp(), name);
    fs.writeFileSync(file, text);
    return file;
  };

  test('a values file changes only what it sets', () => {
    const values = write('values.yaml', 'global:\n  proxy:\n    resources:\n      limits:\n        memory: 256Mi\n');
    const run = kubeInject(['-f', hello, '--valuesFile', values]);
    expect(run.status).toBe(0);
    const proxy = proxyOf(podOf(parseYamlStream(run.stdout)[0]).spec);
    // the release's other defaults stay: limits.cpu, requests
    expect(proxy.resources).toEqual({
      limits: { cpu: '2', memory: '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
  });

  test('a values file can enable CNI, as the istiod chart reads pilot.cni', () => {
    const values = write('values.json', '{"pilot": {"cni": {"enabled": true}}}');
    const pod = podOf(parseYamlStream(kubeInject(['-f', hello, '--valuesFile', values]).stdout)[0]);
    expect(names(pod.spec.initContainers)).toEqual(['istio-validation', 'istio-proxy']);
  });

  test('a mesh config file merges over the mesh defaults', () => {
    const mesh = write(
      'mesh.yaml',
      'defaultConfig:\n  holdApplicationUntilProxyStarts: true\ntrustDomain: td.example\n',
    );
    const run = kubeInject(['-f', hello, '--meshConfigFile', mesh, '--native-sidecars=false']);
    const pod = podOf(parseYamlStream(run.stdout)[0]);
    expect(names(pod.spec.containers)).toEqual(['istio-proxy', 'hello']);
    const proxy = proxyOf(pod.spec);
    expect(envOf(proxy, 'PROXY_CONFIG')?.value).toBe('{"holdApplicationUntilProxyStarts":true}\n');
    expect(envOf(proxy, 'TRUST_DOMAIN')?.value).toBe('td.example');
  });

  test('a file that is not a map is refused, naming it', () => {
    const bad = write('values.yaml', '- a\n- b\n');
    fails(['-f', hello, '--valuesFile', bad], /values\.yaml: must be a map of settings/);
  });
});
