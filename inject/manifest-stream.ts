import { Composer, LineCounter, Parser } from 'yaml';
import { yamlDocument } from '../pipeline/yaml-writer';
import { isJsonObject, type KubeObject } from './kube-types';
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

/** One document of the output stream, as injectDocuments yields it. */
export interface InjectedDocument {
  /** The document's YAML, without a `---` line. */
  readonly yaml: string;
  /** Why the workload in it was left without a sidecar, if it was. */
  readonly notices: InjectionNotice[];
  /** Where the input document ends (a character offset), for progress. */
  readonly end: number;
  /** The input document's number, counting from 1. */
  readonly index: number;
}

/**
 * Injects every workload in a YAML stream. Throws ManifestError for YAML that does not parse (naming the document
 * and line) and for a workload that cannot be injected; nothing is returned in that case.
 */
export function injectYamlStream(text: string, source: string, injector: SidecarInjector): InjectedStream {
  const outputs: string[] = [];
  const notices: InjectionNotice[] = [];
  for (const doc of injectDocuments(text, source, injector)) {
    outputs.push(doc.yaml);
    notices.push(...doc.notices);
  }
  return { yaml: outputs.join('---\n'), notices };
}

/**
 * The output documents of a YAML stream one at a time, as they are parsed (parser and composer are generators),
 * so that memory holds one document's tree rather than the whole stream's. Throws as injectYamlStream does.
 */
export function* injectDocuments(text: string, source: string, injector: SidecarInjector): Generator<InjectedDocument> {
  const positions = new LineCounter();
  const documents = new Composer().compose(new Parser(positions.addNewLine).parse(text));
  const lineOf = lineCounter(text);
  let index = 0;
  for (const doc of documents) {
    index++;
    const line = lineOf(doc.contents?.range?.[0] ?? doc.range[0]);
    const where = `${source}: document ${index} (line ${line})`;
    const problem = doc.errors[0];
    if (problem) {
      const position = positions.linePos(problem.pos[0]);
      const at = `line ${position.line}, column ${position.col}`;
      const reason = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ManifestError(`${source}: document ${index} is not valid YAML at ${at}: ${reason}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue; // an empty document or only comments
    const end = doc.range[2];
    if (!SidecarInjector.handles(value)) {
      yield { yaml: String(doc).replace(/^---\n/, ''), notices: [], end, index };
      continue;
    }
    let result;
    try {
      result = injector.inject(value as KubeObject);
    } catch (error) {
      if (error instanceof InjectionError) throw new ManifestError(`${where}: ${error.message}`);
      throw error;
    }
    yield { yaml: toYaml(result.object), notices: result.notices, end, index };
  }
}

/** YAML of an object with its keys sorted at every level, as istioctl (Go) prints objects. */
export function toYaml(obj: unknown): string {
  return yamlDocument(sortKeys(obj), { version: '1.2', aliasDuplicateObjects: false, keepUndefined: false });
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
