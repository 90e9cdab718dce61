import * as fs from 'node:fs';

/**
 * Builds a folder's new content in a staging folder beside it, then swaps it in.
 *
 * If `build` throws, the staging folder is removed and `target` is left exactly as it was. The staging folder is a
 * sibling of `target` so that the swap is two renames on one file system.
 */
export function replaceDirectory<T>(target: string, build: (staging: string) => T): T {
  const staging = `${target}.staging-${process.pid}`;
  const previous = `${target}.previous-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  let result: T;
  try {
    result = build(staging);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, previous);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    if (hadTarget) fs.renameSync(previous, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  fs.rmSync(previous, { recursive: true, force: true });
  return result;
}
