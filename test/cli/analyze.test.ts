import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ANALYZE_COMMAND } from '../../cli/analyze-command';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { runInProcess } from '../helpers/in-process';

// `npm run -s analyze`: as a user runs it, in a subprocess, where it reads standard input or a 100,000-deep document;
// in process (the same command, with its output in strings) for the rest.

const FIXTURES = path.join('test', 'analyze', 'fixtures');
const BOOKINFO = path.join(FIXTURES, 'bookinfo');

/** The command in process, as cli/analyze.ts runs it. */
const analyze = (args: string[]) => runInProcess(ANALYZE_COMMAND, args);

/** `node cli/run.mjs analyze`, what the npm script runs. */
function analyzeProcess(args: string[], input?: string) {
  return spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'run.mjs'), 'analyze', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    input,
  });
}

const brokenBookinfo = [
  '--env',
  'default',
  '--injection',
  'auto',
  '--call-graph',
  path.join(BOOKINFO, 'call-graph.yaml'),
  '-f',
  path.join(BOOKINFO, 'bookinfo.yaml'),
  '-f',
  path.join(BOOKINFO, 'broken', 'bookinfo-gateway.yaml'),
  '-f',
  path.join(BOOKINFO, 'broken', 'destination-rule-all.yaml'),
  '-f',
  path.join(BOOKINFO, 'virtual-service-reviews-50-v3.yaml'),
  '-f',
  path.join(BOOKINFO, 'broken', 'security.yaml'),
];

test('the broken Bookinfo: a table of findings with file and line, exit 1', () => {
  const run = analyze(brokenBookinfo);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toMatch(/^LEVEL +CODE +OBJECT +SOURCE +MESSAGE$/);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^WARNING +IST0162 +Gateway bookinfo\/bookinfo-gateway +test\/analyze\/fixtures\/bookinfo\/broken\/bookinfo-gateway.yaml:13 +spec.servers\[0\].port.number: The gateway is listening on a target port \(port 8080\)/,
      ),
      expect.stringMatching(
        /^ERROR +IST0101 +VirtualService bookinfo\/reviews +test\/analyze\/fixtures\/bookinfo\/virtual-service-reviews-50-v3.yaml:16 +spec.http\[0\].route\[1\].destination: Referenced host\+subset in destinationrule not found: "reviews\+v3"$/,
      ),
      expect.stringMatching(
        /^ERROR +HI0002 +CallGraphEdge cluster.local\/ns\/bookinfo\/sa\/bookinfo-reviews -> ratings.bookinfo +- +/,
      ),
    ]),
  );
  expect(run.stdout).toMatch(/\n2 error\(s\), 2 warning\(s\), 0 info\(s\) in 28 object\(s\) from 5 file\(s\).\n$/);
});

test('--json prints the same findings as JSON', () => {
  const run = analyze([...brokenBookinfo, '--json']);
  expect(run.status).toBe(1);
  const findings = JSON.parse(run.stdout);
  expect(findings.map((f: { code: string }) => f.code)).toEqual(['IST0162', 'IST0101', 'HI0003', 'HI0002']);
  expect(findings[0]).toEqual({
    code: 'IST0162',
    name: 'GatewayPortNotDefinedOnService',
    level: 'warning',
    object: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', name: 'bookinfo-gateway', namespace: 'bookinfo' },
    path: 'spec.servers[0].port.number',
    message: expect.stringContaining('(port 8080)'),
    file: path.join(BOOKINFO, 'broken', 'bookinfo-gateway.yaml'),
    line: 13,
  });
});

test('clean input from standard input: exit 0', () => {
  const run = analyzeProcess(
    ['-f', '-'],
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n`,
  );
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('No validation issues found in 1 object(s) from 1 file(s).\n');
  expect(run.status).toBe(0);
});

test('a folder is read like kubectl -f: its YAML and JSON files, subfolders with -R', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-'));
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  fs.writeFileSync(
    path.join(dir, 'b.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }),
  );
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
  fs.mkdirSync(path.join(dir, 'more'));
  fs.writeFileSync(
    path.join(dir, 'more', 'c.yml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: 1}\n',
  );
  expect(analyze(['-f', dir])).toMatchObject({
    status: 0,
    stdout: 'No validation issues found in 2 object(s) from 2 file(s).\n',
  });
  const recursive = analyze(['-f', dir, '-R', '--json']);
  expect(recursive.status).toBe(1);
  expect(JSON.parse(recursive.stdout)).toEqual([
    expect.objectContaining({
      code: 'IST0106',
      path: 'metadata.labels.a',
      file: path.join(dir, 'more', 'c.yml'),
      line: 5,
    }),
  ]);
});

test('YAML that does not parse: exit 2, with the file and the line', () => {
  const run = analyzeProcess(['-f', '-'], 'kind: ConfigMap\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: name: x\n');
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^error: -:5: document 2 is not valid YAML: /);
});

test('a file that cannot be read, or a bad option: exit 2', () => {
  expect(analyze(['-f', 'no/such/file.yaml'])).toMatchObject({
    status: 2,
    stderr: expect.stringContaining('no/such/file.yaml: cannot read'),
  });
  expect(analyzeProcess(['-f', '-', '--env', 'nowhere'], '')).toMatchObject({
    status: 2,
    stderr: expect.stringContaining('no environment "nowhere"; configured: default'),
  });
  expect(analyze([])).toMatchObject({ status: 2, stderr: expect.stringContaining('no input') });
});

test('--env gives context, not content: no call-graph findings on unrelated input', () => {
  const hello = [
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: helloworld\nspec:\n  selector:\n    app: helloworld\n  ports:\n    - name: http\n      port: 5000\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: helloworld-v1\nspec:\n  selector:\n    matchLabels:\n      app: helloworld\n  template:\n    metadata:\n      labels:\n        app: helloworld\n    spec:\n      containers:\n        - name: helloworld\n          image: docker.io/istio/examples-helloworld-v1:1.0\n',
  ].join('---\n');
  const run = analyzeProcess(['-f', '-', '--env', 'default', '--json'], hello);
  expect(run.stderr).toBe('');
  expect((JSON.parse(run.stdout) as { code: string }[]).filter((f) => f.code.startsWith('HI000'))).toEqual([]);
});

test('bad input: exit 2 and one line naming the file and what is wrong, never a stack trace', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-bad-'));
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: 7 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
    ),
  ];
  const cases: [string, string][] = [
    ['words.yaml', 'this is: not: yaml: at all\n'],
    [
      'bomb.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${bomb.map((l) => `  ${l}`).join('\n')}\n`,
    ],
    [
      'deep.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    ],
    ['cdk.tf.json', '{"resource": {"google_container_cluster": {"gke": {}}}}'],
  ];
  for (const [file, text] of cases) {
    fs.writeFileSync(path.join(dir, file), text);
    // the deep one in its own process, whose stack is the command's own
    const run = (file === 'deep.yaml' ? analyzeProcess : analyze)(['-f', path.join(dir, file)]);
    expect({ file, status: run.status, stdout: run.stdout }).toEqual({ file, status: 2, stdout: '' });
    expect(run.stderr).toMatch(
      new RegExp(`^error: ${path.join(dir, file).replace(/\./g, '\\.')}(:\\d+)?: [^\\n]+\\n$`),
    );
    expect(run.stderr).not.toMatch(/\bat \w+ \(/);
  }
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-empty-'));
  fs.writeFileSync(path.join(empty, 'README.md'), '# not a manifest');
  expect(analyze(['-f', empty])).toMatchObject({
    status: 2,
    stdout: '',
    stderr: expect.stringMatching(new RegExp(`^error: ${empty}: no manifests [^\\n]+\\n$`)),
  });
});
