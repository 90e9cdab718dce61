// Running the tools: short commands synchronously, long builds with their output streamed and a heartbeat, so that a
// 5-minute `go install` in CI never looks hung.
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the tools are installed: outside the clone, so that CI's fresh clone on the same machine finds them. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HELLO_ISTIO_CACHE || path.join(os.homedir(), '.cache', 'hello-istio');
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Added to the environment. */
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
}

/** Every tool runs with this: no telemetry, no update checks, no colours in what we quote. */
const QUIET_ENV = { CHECKPOINT_DISABLE: '1', NO_COLOR: '1', CDK8S_CHECK_UPGRADE: 'false' };

export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...QUIET_ENV, ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    // No tool here should wait on anything: a hang (a tool looking for a cluster) fails instead of stalling CI.
    timeout: 600_000,
  });
  const timedOut = result.signal !== null && (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) throw new Error(`cannot run ${command}: ${result.error.message}`);
  return {
    code: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: `${result.stderr ?? ''}${timedOut ? `\n${command} timed out after 600 s` : ''}`,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * A long command (a Go build): its stderr is echoed line by line with `label`, and a line every 30 s says it is still
 * running, so that progress shows in CI's log.
 */
export function runLong(
  label: string,
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...QUIET_ENV, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lines = 0;
    let shown = 0;
    const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
    const heartbeat = setInterval(
      () => log(`${label}: still running (${elapsed()}, ${lines} lines of output)`),
      30_000,
    );
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      for (const line of text.split('\n').filter(Boolean)) {
        lines++;
        // `go: downloading` lines come by the hundred, and a refused build repeats its error per package: show
        // every 25th download and the first 8 other lines; the heartbeat counts the rest.
        if (line.startsWith('go: downloading') ? lines % 25 === 0 : ++shown <= 8) log(`${label}: ${line}`);
      }
    });
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      resolve({ code: code ?? 1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Progress on stderr, so that stdout stays for what a command prints. */
export function log(message: string): void {
  process.stderr.write(`conformance: ${message}\n`);
}

/** One try at getting a tool, as CONFORMANCE.md lists it. */
export interface Attempt {
  /** What was asked for: a module path and version, a package. */
  readonly what: string;
  readonly outcome: 'installed' | 'cached' | 'refused' | 'failed';
  /** The registry's answer, or why it failed, in a line. */
  readonly answer: string;
  readonly seconds?: number;
}

/**
 * How a failed fetch or build is told apart: a registry that refuses a version answers at once (the Go module proxy
 * with 403 "not available", pip with "No matching distribution"); anything else is a failure worth a look.
 */
export function outcomeOf(result: RunResult): Attempt['outcome'] {
  if (result.code === 0) return 'installed';
  return /403 Forbidden|not available|No matching distribution|404 Not Found/.test(result.stderr)
    ? 'refused'
    : 'failed';
}

/** The line of a failed command's output that says why. */
export function answerOf(result: RunResult): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const why =
    lines.find((l) => /403 Forbidden/.test(l)) ??
    lines.find((l) => /not available|No matching distribution|error|Error|cannot|invalid/.test(l)) ??
    lines.at(-1) ??
    `exit ${result.code}`;
  // Registry addresses stay out of the report (it is committed): the module path and the answer say enough.
  const said = why.replace(/https?:\/\/\S+?(?=:\s|\s|$)/g, '<registry>');
  return said.length > 300 ? `${said.slice(0, 300)}…` : said;
}
