import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Manifest } from '../kube/object';
import type { FieldPath } from '../validate/schema-validator';

/** A manifest read from a file, with where it came from. */
export interface SourcedManifest {
  readonly manifest: Manifest;
  /** The file as given (`-` for standard input). */
  readonly file: string;
  /** Line of the object's first field (1-based). */
  readonly line: number;
  /** The line of a field of the object, or of its nearest ancestor that the file has. */
  readonly lineOf: (path: FieldPath) => number;
}

/** Input that cannot be read or parsed; names the file and, for YAML errors, the line. */
export class ManifestReadError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, detail: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'ManifestReadError';
  }
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads manifests as `kubectl apply -f` takes them: files (YAML streams or JSON), folders (their .yaml, .yml and
 * .json files, in name order; subfolders too when `recursive`), or `-` for standard input. `List` objects are read
 * as their items.
 *
 * @throws ManifestReadError for a file that cannot be read, YAML that does not parse, or a document that is not an object
 */
export function readManifests(inputs: readonly string[], options: { recursive?: boolean; stdin?: () => string } = {}): SourcedManifest[] {
  const stdin = options.stdin ?? (() => fs.readFileSync(0, 'utf8'));
  return inputs.flatMap((input) => {
    if (input === '-') return parseManifests(stdin(), '-');
    return filesOf(input, options.recursive ?? false).flatMap((file) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new ManifestReadError(file, undefined, `cannot read: ${(error as Error).message}`);
      }
      return parseManifests(text, file);
    });
  });
}

function filesOf(input: string, recursive: boolean): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch (error) {
    throw new ManifestReadError(input, undefined, `cannot read: ${(error as Error).message}`);
  }
  if (!stat.isDirectory()) return [input];
  return fs
    .readdirSync(input, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const file = path.join(input, entry.name);
      if (entry.isDirectory()) return recursive ? filesOf(file, true) : [];
      return MANIFEST_EXTENSIONS.has(path.extname(entry.name)) ? [file] : [];
    });
}

/** Parses a YAML stream (or JSON) into manifests; empty documents are skipped. */
export function parseManifests(text: string, file: string): SourcedManifest[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(documents)) return []; // an empty stream
  return documents.flatMap((document, index) => {
    const [error] = document.errors;
    if (error) {
      throw new ManifestReadError(file, lineCounter.linePos(error.pos[0]).line, `document ${index + 1} does not parse: ${error.message.split('\n')[0]}`);
    }
    if (document.contents === null) return [];
    const lineAt = (node: Node | null | undefined) => lineCounter.linePos(node?.range?.[0] ?? 0).line;
    if (!isMap(document.contents)) {
      throw new ManifestReadError(file, lineAt(document.contents), `document ${index + 1} is not an object (a YAML mapping)`);
    }
    const value = document.toJS() as Manifest;
    const sourced = (base: FieldPath): SourcedManifest => ({
      manifest: base.length === 0 ? value : (value.items as Manifest[])[base[1] as number],
      file,
      line: lineAt(nodeAt(document, base)),
      lineOf: (field) => lineAt(nearestNode(document, [...base, ...field])),
    });
    const items = document.get('items', true);
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && isSeq(items)) {
      return items.items.map((_, i) => sourced(['items', i]));
    }
    return [sourced([])];
  });
}

function nodeAt(document: Document, at: FieldPath): Node | null | undefined {
  return at.length === 0 ? (document.contents as Node) : (document.getIn(at, true) as Node | undefined);
}

function nearestNode(document: Document, at: FieldPath): Node | null | undefined {
  for (let length = at.length; length >= 0; length--) {
    const node = nodeAt(document, at.slice(0, length));
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return document.contents as Node;
}
