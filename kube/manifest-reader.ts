import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { FieldPath, Manifest } from './object';

/**
 * The one reader of manifest streams, for `npm run analyze` and `kube-inject`: it reads what `kubectl apply -f`
 * reads (YAML 1.1, as Kubernetes' sigs.k8s.io/yaml does: merge keys, `yes`/`on` as booleans; empty and comment-only
 * documents skipped; `---` with comments or directives; CRLF; a byte-order mark; JSON; `List` objects as their
 * items) and refuses the rest with one line naming the file and line.
 */

/** A manifest read from a file, with where it came from. */
export interface SourcedManifest {
  readonly manifest: Manifest;
  /** The file as given (`-` for standard input). */
  readonly file: string;
  /** Line of the object's first field (1-based). */
  readonly line: number;
  /** The YAML document it was read from (1-based; a `List`'s items share one). */
  readonly document: number;
  /** The document as written (anchors, comments and all), for tools that pass objects through unchanged. */
  readonly written: string;
  /** The line of a field of the object, or of its nearest ancestor that the file has. */
  readonly lineOf: (path: FieldPath) => number;
}

/** Input that cannot be read or parsed; names the file and, where there is one, the line. */
export class ManifestReadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'ManifestReadError';
  }
}

export interface ReadOptions {
  /**
   * Read folders' subfolders too (`kubectl -R`).
   * @default false
   */
  readonly recursive?: boolean;
  /**
   * Where `-` reads from.
   * @default - the process's standard input
   */
  readonly stdin?: () => string;
  /**
   * Read a `List`'s items as objects of their own (`false` keeps the List as one object, as kube-inject passes it on).
   * @default true
   */
  readonly expandLists?: boolean;
  /**
   * Every object must have `apiVersion` and `kind` (as kubectl requires); `false` reads any mapping.
   * @default true
   */
  readonly requireKind?: boolean;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/**
 * Aliases a document may expand to (the yaml library's count, which grows with nested expansion): far beyond what
 * hand-written anchors use, far below a "billion laughs" bomb.
 */
export const MAX_ALIAS_COUNT = 10_000;
/** go-yaml's limit, which kubectl inherits: deeper nesting is refused. */
export const MAX_DEPTH = 10_000;

/**
 * Reads manifests as `kubectl apply -f` takes them: files (YAML streams or JSON), folders (their .yaml, .yml and
 * .json files, in name order; subfolders too when `recursive`), or `-` for standard input.
 *
 * @throws ManifestReadError for a file that cannot be read, YAML that does not parse, a document that is not an
 * object, an alias bomb, nesting deeper than MAX_DEPTH, or a folder without manifests
 */
export function readManifests(inputs: readonly string[], options: ReadOptions = {}): SourcedManifest[] {
  const stdin = options.stdin ?? (() => fs.readFileSync(0, 'utf8'));
  return inputs.flatMap((input) => {
    if (input === '-') return parseManifests(stdin(), '-', options);
    const files = filesOf(input, options.recursive ?? false);
    if (files.length === 0)
      throw new ManifestReadError(
        input,
        undefined,
        `no manifests (.yaml, .yml or .json files) in this folder${options.recursive ? ' or its subfolders' : ' (-R reads subfolders)'}`,
      );
    return files.flatMap((file) => parseManifests(readText(file), file, options));
  });
}

/** A file's text; a file that is not text (NUL bytes) is refused. */
export function readText(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestReadError(
      file,
      undefined,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return text;
}

function filesOf(input: string, recursive: boolean): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch (error) {
    throw new ManifestReadError(
      input,
      undefined,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
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

/** Parses a YAML stream (or JSON) into manifests; empty and comment-only documents are skipped. */
export function parseManifests(text: string, file: string, options: ReadOptions = {}): SourcedManifest[] {
  if (text.includes('\u0000')) throw new ManifestReadError(file, undefined, 'not YAML or JSON (a binary file)');
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const line = (offset: number) => lineCounter.linePos(offset).line;
  const documents = parseAllDocuments(source, {
    lineCounter,
    prettyErrors: false,
    version: '1.1',
    merge: true,
    uniqueKeys: false,
  });
  if (!Array.isArray(documents)) return []; // an empty stream
  // syntax first, for the whole stream: what kubectl would stop at
  documents.forEach((document, index) => {
    const [error] = document.errors;
    if (error)
      throw new ManifestReadError(
        file,
        line(error.pos[0]),
        `document ${index + 1} is not valid YAML: ${error.message.split('\n')[0]}`,
      );
  });
  return documents.flatMap((document, index) => {
    const where = `document ${index + 1}`;
    const lineAt = (node: Node | null | undefined) => line(node?.range?.[0] ?? document.range[0]);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (failure) {
      const detail =
        failure instanceof ReferenceError && /alias/i.test(failure.message)
          ? `aliases expand to more than ${MAX_ALIAS_COUNT} nodes (a YAML bomb?)`
          : failure instanceof RangeError
            ? `nesting too deep to read`
            : (failure as Error).message.split('\n')[0];
      throw new ManifestReadError(file, lineAt(document.contents), `${where}: ${detail}`);
    }
    if (value === null || value === undefined) return []; // empty, or only comments
    if (!isMap(document.contents)) {
      throw new ManifestReadError(
        file,
        lineAt(document.contents),
        `${where} is not an object (a YAML mapping or JSON object) but ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
      );
    }
    if (depthExceeds(value, MAX_DEPTH))
      throw new ManifestReadError(file, lineAt(document.contents), `${where} nests deeper than ${MAX_DEPTH} levels`);
    const written = String(document).replace(/^---\r?\n/, '');
    const manifest = value as Manifest;
    const sourced = (base: FieldPath, object: Manifest): SourcedManifest => {
      if ((options.requireKind ?? true) && (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string')) {
        const missing = ['apiVersion', 'kind'].filter((k) => typeof object[k] !== 'string');
        throw new ManifestReadError(
          file,
          lineAt(nodeAt(document, base)),
          `${where}${base.length ? ` (items[${base[1]}])` : ''} is not a Kubernetes object: ${missing.join(' and ')} not set`,
        );
      }
      return {
        manifest: object,
        file,
        document: index + 1,
        written,
        line: lineAt(nodeAt(document, base)),
        lineOf: (field) => lineAt(nearestNode(document, [...base, ...field])),
      };
    };
    const items = document.get('items', true);
    if (
      (options.expandLists ?? true) &&
      typeof manifest.kind === 'string' &&
      manifest.kind.endsWith('List') &&
      isSeq(items)
    ) {
      return (manifest.items as unknown[]).flatMap((item, i) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw new ManifestReadError(file, lineAt(items.items[i] as Node), `${where}: items[${i}] is not an object`);
        }
        return [sourced(['items', i], item as Manifest)];
      });
    }
    return [sourced([], manifest)];
  });
}

/** Whether a value nests deeper than `limit`, without recursion (so that the check itself cannot overflow). */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (node && typeof node === 'object')
      for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
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
