// cdktf checks the Terraform binary's version for every construct that needs a recent one (each `terraform_data`
// resource, as our plan preconditions are, adds a check): each check spawns a shell and `terraform version`, about
// 30-60 ms, several times per synth, always with the same answer. Importing this module makes a check with the same
// command, constraint and hint run once per process, like cdktf/token-stack-traces.ts patching what cdktf calls;
// with rememberBinaryVersionsIn (what the commands call), a check that passed is not run again while the binary on
// PATH is the same file.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface BinaryVersionCheck {
  readonly binary: string;
  readonly versionConstraint: string;
  readonly versionCommand: string;
  readonly hint?: string;
  validate(): string[];
}

const { ValidateBinaryVersion } = require('cdktf/lib/validations/validate-binary-version') as {
  ValidateBinaryVersion: { prototype: BinaryVersionCheck };
};

const check = ValidateBinaryVersion.prototype.validate;

/** The version checks of one process: each check runs once, and with a file, one that passed is remembered there. */
export class BinaryVersionChecks {
  private readonly results = new Map<string, readonly string[]>();

  /** @param rememberIn the file that keeps passed checks across processes (a JSON object) @default none */
  constructor(private rememberIn?: string) {}

  /** Keeps the checks that pass from now on in `file`, and takes those it holds as passed. */
  rememberPassedIn(file: string): void {
    this.rememberIn = file;
  }

  /** The errors of cdktf's check `versionCheck`, run once for the same binary, command, constraint and hint. */
  validate(versionCheck: BinaryVersionCheck): string[] {
    const key = JSON.stringify([
      versionCheck.binary,
      versionCheck.versionCommand,
      versionCheck.versionConstraint,
      versionCheck.hint,
    ]);
    let errors = this.results.get(key);
    if (errors === undefined) this.results.set(key, (errors = this.remembered(key, versionCheck)));
    return [...errors];
  }

  private remembered(key: string, versionCheck: BinaryVersionCheck): string[] {
    const rememberIn = this.rememberIn;
    const binary = rememberIn === undefined ? undefined : binaryFile(versionCheck.binary);
    if (rememberIn === undefined || binary === undefined) return check.call(versionCheck);
    const remembered = readRemembered(rememberIn);
    // a check passed for this very file (path, size, time, inode): a new or replaced binary is checked again
    const stat = fs.statSync(binary);
    const identity = `${binary}\0${stat.size}\0${stat.mtimeMs}\0${stat.ino}`;
    if (remembered[key] === identity) return [];
    const errors = check.call(versionCheck);
    if (errors.length === 0) {
      remembered[key] = identity;
      try {
        fs.mkdirSync(path.dirname(rememberIn), { recursive: true });
        const partial = `${rememberIn}.${process.pid}`;
        fs.writeFileSync(partial, JSON.stringify(remembered));
        fs.renameSync(partial, rememberIn);
      } catch {
        // only a cache: the next run checks again
      }
    }
    return errors;
  }
}

/** This process's checks, which cdktf's run through. */
const processChecks = new BinaryVersionChecks();

/** Keeps this process's checks that pass in `file` (a JSON object), keyed by the check and the binary file it ran. */
export function rememberBinaryVersionsIn(file: string): void {
  processChecks.rememberPassedIn(file);
}

ValidateBinaryVersion.prototype.validate = function (this: BinaryVersionCheck): string[] {
  return processChecks.validate(this);
};

function readRemembered(file: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The real file a shell would run for a bare command name, found on PATH; undefined for anything else. */
function binaryFile(binary: string): string | undefined {
  if (!/^[\w.-]+$/.test(binary)) return undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return fs.realpathSync(candidate);
    } catch {
      // not here
    }
  }
  return undefined;
}
