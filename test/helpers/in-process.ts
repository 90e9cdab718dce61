import { executeCommand, type Command, type CommandOptions } from '../../cli/command';

/** What a command run in process did: its exit code and what it wrote. */
export interface CommandRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The message of a failed run, as printed after `error: `. */
  readonly error?: string;
}

/**
 * Runs a command in process on `args`, as cli/<command>.ts runs it (executeCommand), with `stdin` as its standard
 * input and its output kept in strings.
 */
export function runInProcess<O extends CommandOptions>(command: Command<O>, args: string[], stdin = ''): CommandRun {
  let [stdout, stderr] = ['', ''];
  const status = executeCommand(command, args, {
    readStdin: () => stdin,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  const error = /^error: ([\s\S]*)\n$/m.exec(stderr)?.[1];
  return { status, stdout, stderr, ...(error === undefined ? {} : { error }) };
}
