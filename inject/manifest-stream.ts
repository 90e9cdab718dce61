import { parseAllDocuments, stringify } from 'yaml';
import { isJsonObject, type KubeObject } from '../kube/object';
import { InjectionError, SidecarInjector, type InjectionNotice } from './sidecar-injector';

/**
 * kube-inject on a YAML stream, as the `kube-inject` command runs it: every document in input order, workloads
 * injected and printed the way istioctl prints objects (keys sorted), everything else passed through as written.
 */

/** YAML that does not parse, or a document that cannot be injected, located by source, document and line. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export interface InjectedStream {
  /** The output YAML stream (documents separated by `---`). */
  readonly yaml: string;
  /** Workloads left without a sidecar, and why. */
  readonly notices: InjectionNotice[];
}

/**
 * Injects every workload in a YAML stream. Throws ManifestError for YAML that does not parse (naming the document
 * and line) and for a workload that cannot be injected; nothing is returned in that case.
 */
export function injectYamlStream(text: string, source: string, injector: SidecarInjector): InjectedStream {
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const outputs: string[] = [];
  const notices: InjectionNotice[] = [];
  const lineOf = lineCounter(text);
  documents.forEach((doc, i) => {
    const line = lineOf(doc.contents?.range?.[0] ?? doc.range[0]);
    const where = `${source}: document ${i + 1} (line ${line})`;
    const problem = doc.errors[0];
    if (problem) {
      const [position] = problem.linePos ?? [];
      const at = position ? `line ${position.line}, column ${position.col}` : `line ${line}`;
      const reason = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ManifestError(`${source}: document ${i + 1} is not valid YAML at ${at}: ${reason}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return; // an empty document or only comments
    if (!SidecarInjector.handles(value)) {
      outputs.push(String(doc).replace(/^---\n/, ''));
      return;
    }
    try {
      const result = injector.inject(value as KubeObject);
      notices.push(...result.notices);
      outputs.push(toYaml(result.object));
    } catch (error) {
      if (error instanceof InjectionError) throw new ManifestError(`${where}: ${error.message}`);
      throw error;
    }
  });
  return { yaml: outputs.join('---\n'), notices };
}

/** YAML of an object with its keys sorted at every level, as istioctl (Go) prints objects. */
export function toYaml(obj: unknown): string {
  return stringify(sortKeys(obj), { lineWidth: 0, aliasDuplicateObjects: false });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Line numbers of increasing offsets, counted in one pass over the text. */
function lineCounter(text: string): (offset: number) => number {
  let scanned = 0;
  let line = 1;
  return (offset) => {
    for (; scanned < offset && scanned < text.length; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    return line;
  };
}
