import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Replacing a folder (dist/) so that a crash at any instant leaves the old folder, the new one, or a state that
 * `recoverDirectory` (which every command runs first) turns into one of them.
 *
 * The new content is built in `<target>.staging-<pid>`; once complete, that folder is renamed `<target>.next-<pid>`
 * (so a complete build is told from a half-written one by its name alone); then `<target>` is renamed
 * `<target>.previous-<pid>`, the next folder is renamed `<target>`, and the previous one is removed. Siblings of
 * the target, so that every step is a rename on one file system.
 *
 * | crash                                  | left behind                       | recovery                       |
 * | -------------------------------------- | --------------------------------- | ------------------------------ |
 * | while building                         | target (old), staging             | remove staging                 |
 * | after the build, before the swap       | target (old), next                | remove next                    |
 * | between the two renames                | previous (old), next (new)        | rename next to target (new)    |
 * | after the swap, while removing         | target (new), part of previous    | remove previous                |
 */

/** The steps of a replacement, in order; tests make the process stop at one (PUBLISH_FAULT_VARIABLE). */
export const PUBLISH_STEPS = ['built', 'ready', 'moved-aside', 'swapped', 'cleaned'] as const;
export type PublishStep = (typeof PUBLISH_STEPS)[number];

/**
 * For tests only: `<step>:crash` kills the process with SIGKILL right after that step, `<step>:fail` throws there
 * as a failing file system call would, `<step>:pause` writes `paused at <step>` to stderr and waits to be killed.
 */
export const PUBLISH_FAULT_VARIABLE = 'HELLO_ISTIO_TEST_PUBLISH_FAULT';

/** What became of the target when a replacement failed: as it was, or moved aside (recoverDirectory restores it). */
export type TargetState = 'unchanged' | 'moved-aside';

/** A replacement that failed, saying truthfully whether the target changed. */
export class PublishError extends Error {
  constructor(
    readonly target: string,
    readonly state: TargetState,
    cause: unknown,
  ) {
    super(`${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PublishError';
  }
}

/** The result of a replacement, and what could not be cleaned up (the target is replaced all the same). */
export interface Replaced<T> {
  readonly result: T;
  readonly warnings: string[];
}

/**
 * Builds a folder's new content beside it, then swaps it in. If `build` throws, the target is left exactly as it
 * was and the error is passed on as is. A failure of the swap itself throws a PublishError that says whether the
 * target was replaced; a failure to remove the old copy afterwards is only a warning.
 */
export function replaceDirectory<T>(target: string, build: (staging: string) => T): Replaced<T> {
  const warnings = recoverDirectory(target);
  const { staging, next, previous } = siblings(target, process.pid);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  let result: T;
  try {
    result = build(staging);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  let moved = false;
  try {
    step('built');
    fs.renameSync(staging, next);
    step('ready');
    if (fs.existsSync(target)) {
      fs.renameSync(target, previous);
      moved = true;
    }
    step('moved-aside');
    fs.renameSync(next, target);
  } catch (error) {
    if (moved) restore(previous, target);
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(next, { recursive: true, force: true });
    throw new PublishError(target, moved && fs.existsSync(previous) ? 'moved-aside' : 'unchanged', error);
  }
  try {
    step('swapped');
    fs.rmSync(previous, { recursive: true, force: true });
    step('cleaned');
  } catch (error) {
    warnings.push(
      `could not remove the previous copy ${path.basename(previous)}: ${(error as Error).message}; remove it by hand`,
    );
  }
  return { result, warnings };
}

/** Puts the previous copy back after a failed swap; if even that fails, the next command's recovery will. */
function restore(previous: string, target: string): void {
  try {
    fs.renameSync(previous, target);
  } catch {
    // left as <target>.previous-<pid>: recoverDirectory renames it back
  }
}

/**
 * Finishes or undoes what a replacement interrupted by a crash left (see the table above), for processes no longer
 * running: a missing target is restored from a complete next copy or else from the previous one, and every other
 * leftover is removed. Returns what could not be removed, as warnings.
 */
export function recoverDirectory(target: string): string[] {
  const parent = path.dirname(target);
  const name = path.basename(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const leftovers = entries
    .map((entry) => ({
      entry,
      match: new RegExp(`^${escapeRegExp(name)}\\.(staging|next|previous)-(\\d+)$`).exec(entry),
    }))
    .filter(({ match }) => match && !isRunning(Number(match[2])))
    .map(({ entry, match }) => ({
      file: path.join(parent, entry),
      kind: match![1] as 'staging' | 'next' | 'previous',
    }));
  if (leftovers.length === 0) return [];
  if (!fs.existsSync(target)) {
    const source = leftovers.find((l) => l.kind === 'next') ?? leftovers.find((l) => l.kind === 'previous');
    if (source) {
      fs.renameSync(source.file, target);
      leftovers.splice(leftovers.indexOf(source), 1);
    }
  }
  const warnings: string[] = [];
  for (const { file } of leftovers) {
    try {
      fs.rmSync(file, { recursive: true, force: true });
    } catch (error) {
      warnings.push(
        `could not remove ${path.basename(file)}, left by an interrupted synth: ${(error as Error).message}`,
      );
    }
  }
  return warnings;
}

function siblings(target: string, pid: number) {
  return { staging: `${target}.staging-${pid}`, next: `${target}.next-${pid}`, previous: `${target}.previous-${pid}` };
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function step(name: PublishStep): void {
  const fault = process.env[PUBLISH_FAULT_VARIABLE];
  if (!fault) return;
  const [at, action] = fault.split(':');
  if (at !== name) return;
  if (action === 'crash') process.kill(process.pid, 'SIGKILL');
  if (action === 'fail')
    throw Object.assign(new Error(`EACCES: permission denied (${PUBLISH_FAULT_VARIABLE} at ${name})`), {
      code: 'EACCES',
    });
  if (action === 'pause') {
    fs.writeSync(2, `paused at ${name}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  }
}
