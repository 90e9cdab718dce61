import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isMap, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { yamlDocument, yamlFoldsLines } from './yaml-writer';
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
  /**
   * Called as a file is read, with its name, the bytes read so far and its size.
   * @default - none
   */
  readonly onProgress?: (file: string, done: number, total: number) => void;
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
  return inputs.flatMap((input) => {
    if (input === '-') return [...streamFile('-', options)];
    const files = filesOf(input, options.recursive ?? false);
    if (files.length === 0)
      throw new ManifestReadError(
        input,
        undefined,
        `no manifests (.yaml, .yml or .json files) in this folder${options.recursive ? ' or its subfolders' : ' (-R reads subfolders)'}`,
      );
    return files.flatMap((file) => [...streamFile(file, options)]);
  });
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
  return [...streamManifests([text], file, options)];
}

/**
 * Reads a file's manifests one document at a time, in pieces of the file, so that neither the whole text nor the
 * parse of more than one document is held at once (`-` reads `options.stdin`).
 *
 * @throws ManifestReadError as readManifests, when the reading reaches the bad document
 */
export function* streamFile(file: string, options: ReadOptions = {}): Generator<SourcedManifest> {
  if (file === '-') {
    const text = (options.stdin ?? (() => fs.readFileSync(0, 'utf8')))();
    yield* streamManifests([text], '-', options);
    return;
  }
  yield* streamManifests(pieces(file, options.onProgress), file, options);
}

/** A file's text in pieces of a megabyte (UTF-8 characters are never split). */
function* pieces(file: string, onProgress?: ReadOptions['onProgress']): Generator<string> {
  let fd: number;
  let size: number;
  try {
    fd = fs.openSync(file, 'r');
    size = fs.fstatSync(fd).size;
  } catch (error) {
    throw new ManifestReadError(
      file,
      undefined,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(1 << 20);
    let done = 0;
    for (;;) {
      let read: number;
      try {
        read = fs.readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw new ManifestReadError(
          file,
          undefined,
          `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      if (read === 0) break;
      done += read;
      onProgress?.(file, done, size);
      yield decoder.write(buffer.subarray(0, read));
    }
    yield decoder.end();
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The manifests of a YAML stream given in pieces, a document at a time: the stream is split into documents at
 * `---` and `...` lines (as Kubernetes' YAML reader splits streams; such a line cannot occur inside a document),
 * and each document is parsed on its own.
 */
export function* streamManifests(
  textPieces: Iterable<string>,
  file: string,
  options: ReadOptions = {},
): Generator<SourcedManifest> {
  let documents = 0;
  // syntax first, for the whole stream (what kubectl would stop at): after another refusal, the rest of the stream
  // is only checked for syntax errors, and the first of those wins
  let refusal: ManifestReadError | undefined;
  for (const { text, line } of documentTexts(textPieces, file)) {
    if (refusal === undefined) {
      try {
        const parsed = parseDocumentText(text, line, documents, file, options);
        documents += parsed.documents;
        yield* parsed.manifests;
        continue;
      } catch (error) {
        if (!(error instanceof ManifestReadError) || error instanceof YamlSyntaxError) throw error;
        refusal = error;
      }
    }
    documents += syntaxChecked(text, line, documents, file).length;
  }
  if (refusal) throw refusal;
}

/** A document that is not valid YAML. */
class YamlSyntaxError extends ManifestReadError {}

/** The `yaml` package's documents of a document's text; throws YamlSyntaxError for the first syntax error. */
function syntaxChecked(text: string, firstLine: number, before: number, file: string) {
  const { documents, line } = parsedDocuments(text, firstLine);
  documents.forEach((document, index) => {
    const [error] = document.errors;
    if (error)
      throw new YamlSyntaxError(
        file,
        line(error.pos[0]),
        `document ${before + index + 1} is not valid YAML: ${error.message.split('\n')[0]}`,
      );
  });
  return documents.map((document) => ({ document, line }));
}

/** A document's text as split from a stream, with the line it starts on (1-based). */
interface DocumentText {
  readonly text: string;
  readonly line: number;
}

/** A line that starts or ends a document (`---` or `...`, alone or followed by a space). */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/** Text before any document: blank, comment and directive lines (they belong to the document after them). */
const PROLOGUE = /^(?:[ \t]*(?:[#%][^\n]*)?\n)*$/;

function* documentTexts(textPieces: Iterable<string>, file: string): Generator<DocumentText> {
  let pending = '';
  /** How far `pending` has been looked through for markers (whole lines only). */
  let scanned = 0;
  let line = 1;
  let first = true;
  // a regex of its own: its position must survive the yields
  const marker = new RegExp(MARKER);
  for (let piece of textPieces) {
    if (first && piece.length > 0) {
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      first = false;
    }
    if (piece.includes('\u0000')) throw new ManifestReadError(file, undefined, 'not YAML or JSON (a binary file)');
    pending += piece;
    // only whole lines are split; the last, unfinished line waits for the next piece
    const complete = pending.lastIndexOf('\n') + 1;
    let start = 0;
    marker.lastIndex = scanned;
    for (let match = marker.exec(pending); match !== null && match.index < complete; match = marker.exec(pending)) {
      let end = match.index;
      if (match[0] === '...') end = pending.indexOf('\n', end) + 1;
      else if (PROLOGUE.test(pending.slice(start, end))) continue;
      if (end > start) {
        const text = pending.slice(start, end);
        yield { text, line };
        line += lineCount(text);
      }
      start = end;
      marker.lastIndex = Math.max(marker.lastIndex, end);
    }
    pending = pending.slice(start);
    scanned = complete - start;
  }
  if (pending.length > 0 || line === 1) yield { text: pending, line };
}

function lineCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

const PARSE_OPTIONS = { prettyErrors: false, version: '1.1', merge: true, uniqueKeys: false } as const;
/** How our YAML writer writes a value as the `yaml` package would with the reader's schema (YAML 1.1). */
const CANONICAL = { version: '1.1', aliasDuplicateObjects: false, keepUndefined: false } as const;
/** An anchor or an alias (which js-yaml would share and the writer expand: an alias bomb would explode). */
const ANCHOR = /(?:^|[\s[{,])[&*]\S/;
/** A line longer than the `yaml` package's default line width, which it may fold. */
const LONG_LINE = /^[^\n]{81}/m;
/** Comment lines at the start of a document, before its first field. */
const LEADING_COMMENTS = /^(?:#[^\n\r]*\n)*/;

/**
 * The fast path of most documents: the value as js-yaml reads it, if our writer writes that value back as exactly
 * the document's text. Then the `yaml` package (which the writer matches byte for byte, and whose writing it reads
 * back as the same value) reads the text as the same value, whatever js-yaml's schema differences (YAML 1.1's
 * `yes`, octals or timestamps are written otherwise, so they do not pass). Merge keys (`<<`), which writing would not
 * reveal, and anchors never take it. Returns undefined otherwise: the `yaml` package then parses the document.
 */
function canonicalValue(body: string): Manifest | undefined {
  if (body.includes('<<') || ANCHOR.test(body)) return undefined;
  let value: unknown;
  try {
    value = loadYaml(body, { schema: CORE_SCHEMA });
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    // nesting deeper than MAX_DEPTH takes lines longer than this: the `yaml` package's path refuses it
    if (body.length > 2 * MAX_DEPTH && depthExceeds(value, MAX_DEPTH)) return undefined;
    return yamlDocument(value, CANONICAL) === body ? (value as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** The `yaml` package's parse of a document's text, with lines counted from the stream's start. */
function parsedDocuments(text: string, firstLine: number) {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const line = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  return { documents: Array.isArray(documents) ? documents : [], line };
}

function parseDocumentText(
  text: string,
  firstLine: number,
  before: number,
  file: string,
  options: ReadOptions,
): { documents: number; manifests: SourcedManifest[] } {
  const marker = /^---[ \t]*\r?\n/.exec(text);
  const content = marker ? text.slice(marker[0].length) : text;
  const comments = LEADING_COMMENTS.exec(content)![0];
  const body = comments ? content.slice(comments.length) : content;
  const fast = canonicalValue(body);
  if (fast !== undefined) {
    const fieldsLine = firstLine + (marker ? 1 : 0) + lineCount(comments);
    // Canonical text is how the `yaml` package writes the document back (comments at the start of a line are kept
    // as they are), unless it would fold a scalar's line: lines longer than 80 characters, other than comments and
    // block scalars', that it can break (at a space, or anywhere in a double-quoted scalar).
    const asWritten = () => !LONG_LINE.test(body) || !yamlFoldsLines(fast, CANONICAL);
    return {
      documents: 1,
      manifests: sourcedOf(fast, before + 1, file, options, fieldsLine, text, firstLine, { content, asWritten }),
    };
  }
  const documents = syntaxChecked(text, firstLine, before, file);
  const manifests = documents.flatMap(({ document, line }, index) => {
    const where = `document ${before + index + 1}`;
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
    return sourcedOf(value as Manifest, before + index + 1, file, options, lineAt(document.contents), text, firstLine, {
      tree: { document, line },
    });
  });
  return { documents: documents.length, manifests };
}

/**
 * The manifests of one document (a List's items, or the object). Lines of fields and the document as written are
 * worked out when asked for, from the `yaml` package's parse of the document's text (kept if there is one).
 */
function sourcedOf(
  manifest: Manifest,
  number: number,
  file: string,
  options: ReadOptions,
  objectLine: number,
  text: string,
  firstLine: number,
  known:
    | { content: string; asWritten: () => boolean }
    | { tree: { document: Document.Parsed; line: (offset: number) => number } },
): SourcedManifest[] {
  const where = `document ${number}`;
  let tree = 'tree' in known ? known.tree : undefined;
  const parse = () => {
    if (tree === undefined) {
      const { documents, line } = parsedDocuments(text, firstLine);
      tree = { document: documents[0], line };
    }
    return tree;
  };
  const lineAt = (node: Node | null | undefined) => {
    const { document, line } = parse();
    return line(node?.range?.[0] ?? document.range[0]);
  };
  // the document as the `yaml` package writes it back: canonical text where that is the same
  let written: string | undefined;
  const sourced = (base: FieldPath, object: Manifest): SourcedManifest => {
    if ((options.requireKind ?? true) && (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string')) {
      const missing = ['apiVersion', 'kind'].filter((k) => typeof object[k] !== 'string');
      throw new ManifestReadError(
        file,
        base.length === 0 ? objectLine : lineAt(nodeAt(parse().document, base)),
        `${where}${base.length ? ` (items[${base[1]}])` : ''} is not a Kubernetes object: ${missing.join(' and ')} not set`,
      );
    }
    let line = base.length === 0 ? objectLine : undefined;
    return {
      manifest: object,
      file,
      document: number,
      get written() {
        written ??=
          'content' in known && known.asWritten() ? known.content : String(parse().document).replace(/^---\r?\n/, '');
        return written;
      },
      get line() {
        line ??= lineAt(nodeAt(parse().document, base));
        return line;
      },
      lineOf: (field) => lineAt(nearestNode(parse().document, [...base, ...field])),
    };
  };
  const items = manifest.items;
  if (
    (options.expandLists ?? true) &&
    typeof manifest.kind === 'string' &&
    manifest.kind.endsWith('List') &&
    Array.isArray(items)
  ) {
    return items.map((item: unknown, i: number) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        const node = parse().document.get('items', true) as { items: Node[] } | undefined;
        throw new ManifestReadError(file, lineAt(node?.items[i]), `${where}: items[${i}] is not an object`);
      }
      return sourced(['items', i], item as Manifest);
    });
  }
  return [sourced([], manifest)];
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
