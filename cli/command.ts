import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { recoverDirectory } from '../pipeline/publish';

/**
 * What every command shares: its options parsed by node:util's parseArgs (strict: an unknown option or a stray
 * argument is a usage error), `-h`/`--help`, exit codes, errors as one message on stderr (the stack trace only with
 * HELLO_ISTIO_DEBUG set), a quiet end when stdout is closed early (`| head`), and, before anything else, the
 * recovery of a dist/ that a crashed synth left mid-swap (pipeline/publish.ts).
 */

/** A command's options, as node:util's parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;
/** The parsed option values of a command with options `O`. */
export type OptionValues<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>['values'];

export interface Command<O extends CommandOptions> {
  /** The help text, printed by --help; its first line is the usage, printed with usage errors. */
  readonly help: string;
  /** The options, besides -h/--help. */
  readonly options: O;
  /** Exit code of a failed run. @default 1 */
  readonly errorExitCode?: number;
  /** Arguments besides the options (deploy's stacks, say); without this, a stray argument is a usage error. @default false */
  readonly positionals?: boolean;
  /**
   * The checkout whose dist/ is restored before the command runs, if a crashed synth left it mid-swap.
   * @default PROJECT_ROOT
   */
  readonly root?: string;
  /** The command's body, writing to `io`; it may return the exit code of a run that did not fail. */
  readonly run: (values: OptionValues<O>, positionals: string[], io: CommandIO) => number | void;
}

/** Wrong use of a command: exits 2 with the message and the usage line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The exit code of a usage error. */
export const USAGE_EXIT_CODE = 2;

/** Where a command reads and writes: the process's standard streams, or a test's strings. */
export interface CommandIO {
  readStdin(): string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's standard streams. */
export const PROCESS_IO: CommandIO = {
  readStdin: () => fs.readFileSync(0, 'utf8'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A command, its options' types inferred from `options`: what cli/<command>.ts runs and tests run in process. */
export function defineCommand<O extends CommandOptions>(command: Command<O>): Command<O> {
  return command;
}

/** Runs a command on the process's arguments and streams, and sets process.exitCode. */
export function runCommand<O extends CommandOptions>(command: Command<O>): void {
  endQuietlyOnClosedStdout();
  process.exitCode = executeCommand(command, process.argv.slice(2), PROCESS_IO);
}

/** Runs a command on `args` with `io`, as runCommand does, and gives its exit code: what the tests call in process. */
export function executeCommand<O extends CommandOptions>(command: Command<O>, args: string[], io: CommandIO): number {
  const usage = command.help.split('\n')[0];
  try {
    for (const warning of recoverDirectory(path.join(command.root ?? PROJECT_ROOT, 'dist')))
      io.stderr(`warning: ${warning}\n`);
    const { values, positionals } = parseCommandLine(command.options, args, command.positionals ?? false);
    if ((values as { help?: boolean }).help) {
      io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return 0;
    }
    return command.run(values, positionals, io) ?? 0;
  } catch (error) {
    if (isClosedPipe(error)) process.exit(process.exitCode ?? 0);
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof UsageError ? `\n${usage}\n(--help for more)` : '';
    io.stderr(`error: ${message}${hint}\n`);
    if (process.env.HELLO_ISTIO_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return error instanceof UsageError ? USAGE_EXIT_CODE : (command.errorExitCode ?? 1);
  }
}

function parseCommandLine<O extends CommandOptions>(options: O, args: string[], allowPositionals: boolean) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
    return { values: parsed.values as OptionValues<O> & { help?: boolean }, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** A reader that stops early (`| head -1`) is not an error: end without a word. */
function endQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error) => {
    if (isClosedPipe(error)) process.exit(process.exitCode ?? 0);
    throw error;
  });
}
