import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { answerOf, log, outcomeOf, run, runLong, type Attempt } from '../process';

/** A tool the checks run, as CONFORMANCE.md reports it. */
export interface Tool {
  readonly name: string;
  /** The version the project pins or configures. */
  readonly wanted: string;
  /** The executable (or folder, for charts and plugins); undefined when nothing could be had. */
  readonly path?: string;
  /** The version actually installed (equal to `wanted` unless it is a stand-in). */
  readonly version?: string;
  /** Where it came from. */
  readonly source?: string;
  /** Set when `version` is not `wanted`: which build stands in and how it differs, loudly. */
  readonly standIn?: string;
  /** Every try, in order, with the registry's answer. */
  readonly attempts: readonly Attempt[];
}

/** Go, for `go install` and `go mod download`, with the project's settings. */
export interface GoSettings {
  /**
   * The checksum database knows no pseudo-versions of some modules (it answers 404); `off` skips it for those only.
   * The module's own go.sum still pins every dependency.
   */
  readonly sumdbOff?: boolean;
}

const goEnv = (settings: GoSettings) => (settings.sumdbOff ? { GOSUMDB: 'off' } : {});

/**
 * `go install pkg@version` into `bindir` (built beside it and renamed, so that an interrupted build leaves nothing
 * that looks installed). A binary already there is reused.
 */
export async function goInstall(
  label: string,
  pkg: string,
  version: string,
  bindir: string,
  binary: string,
  settings: GoSettings = {},
): Promise<Attempt> {
  const what = `go install ${pkg}@${version}${settings.sumdbOff ? ' (GOSUMDB=off)' : ''}`;
  if (fs.existsSync(path.join(bindir, binary)))
    return { what, outcome: 'cached', answer: `already built in ${bindir}` };
  const partial = `${bindir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  log(`${label}: ${what} (a cold build takes minutes)`);
  const result = await runLong(label, 'go', ['install', `${pkg}@${version}`], {
    env: { GOBIN: partial, ...goEnv(settings) },
  });
  const outcome = outcomeOf(result);
  if (outcome === 'installed') {
    fs.rmSync(bindir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(bindir), { recursive: true });
    fs.renameSync(partial, bindir);
  } else {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  const answer = outcome === 'installed' ? `built in ${Math.round(result.seconds)} s` : answerOf(result);
  log(`${label}: ${outcome}: ${answer}`);
  return { what, outcome, answer, seconds: result.seconds };
}

/** A module's source, as `go mod download` leaves it in the module cache (read-only). */
export interface ModuleSource {
  readonly dir: string;
  readonly goMod: string;
  readonly version: string;
}

export function goModDownload(
  module: string,
  version: string,
  settings: GoSettings = {},
): { attempt: Attempt; source?: ModuleSource } {
  const what = `go mod download ${module}@${version}${settings.sumdbOff ? ' (GOSUMDB=off)' : ''}`;
  // Outside any module, so that no go.mod of ours (there is none) or of the cwd is consulted.
  const result = run('go', ['mod', 'download', '-json', `${module}@${version}`], {
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'gomod-')),
    env: { GOFLAGS: '-mod=mod', ...goEnv(settings) },
  });
  let info: { Dir?: string; GoMod?: string; Version?: string; Error?: string } = {};
  try {
    info = JSON.parse(result.stdout);
  } catch {
    // no JSON: the error is on stderr
  }
  if (result.code === 0 && info.Dir && info.GoMod) {
    return {
      attempt: { what, outcome: 'installed', answer: `served: ${info.Version}`, seconds: result.seconds },
      source: { dir: info.Dir, goMod: info.GoMod, version: info.Version ?? version },
    };
  }
  const failed = { ...result, stderr: `${info.Error ?? ''}\n${result.stderr}` };
  return { attempt: { what, outcome: outcomeOf(failed), answer: answerOf(failed), seconds: result.seconds } };
}
