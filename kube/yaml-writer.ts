import * as fs from 'node:fs';
// the `yaml` package's own line folding (its subpath export has no types under our module resolution)
const { foldFlowLines } = require('yaml/util') as typeof import('yaml/dist/util');

/**
 * A YAML writer for JSON values that writes exactly the bytes of the `yaml` package's `stringify` with the options
 * cdk8s uses (`Yaml.stringify`: YAML 1.1, `keepUndefined`, `lineWidth: 0`, repeated objects as anchors) or, with
 * `version: '1.2'`, the core schema: the same scalar styles, quoting, block scalars, indentation and anchors, about 20
 * times faster, because it writes plain values directly instead of building a document tree first.
 * test/pipeline/yaml-writer.test.ts holds it to `yaml` on every synthesized document and on tricky values.
 *
 * Only JSON values are accepted (plain objects, arrays, strings, numbers, booleans, null and undefined); anything
 * else throws a TypeError naming where it is.
 */
export interface YamlWriterOptions {
  /** YAML 1.1 (what cdk8s writes) or 1.2 (the `yaml` package's default, the core schema). @default '1.1' */
  readonly version?: '1.1' | '1.2';
  /** Write an object that appears more than once as an anchor and aliases (`&a1`, `*a1`). @default true */
  readonly aliasDuplicateObjects?: boolean;
  /** Write a mapping's `undefined` values as null, rather than leaving the key out. @default true */
  readonly keepUndefined?: boolean;
  /** Write every mapping's keys in sorted order (as Go prints maps and structs), not in the object's order. @default false */
  readonly sortKeys?: boolean;
}

/** One YAML document, ending in a newline. */
export function yamlDocument(value: unknown, options: YamlWriterOptions = {}): string {
  const writer = new DocumentWriter(value, options);
  writer.write(value, '');
  writer.parts.push('\n');
  return writer.parts.join('');
}

/**
 * Whether the `yaml` package, writing back its parse of `yamlDocument(value, options)` with its default line width
 * (80) instead of none, would fold a scalar over more lines: then it writes other text; otherwise the same. Scalars
 * keep the style they were read with (plain, quoted, `|`), so each is folded, or not, as `yaml` folds that style.
 */
export function yamlFoldsLines(value: unknown, options: YamlWriterOptions = {}): boolean {
  const writer = new DocumentWriter(value, options, true);
  writer.write(value, '');
  return writer.folds;
}

/** A YAML stream of documents, as cdk8s's `Yaml.stringify(...docs)` writes it (`undefined` is an empty document). */
export function yamlStream(documents: readonly unknown[], options: YamlWriterOptions = {}): string {
  let out = '';
  documents.forEach((doc, i) => {
    out += (i === 0 ? '' : '---\n') + (doc === undefined ? '\n' : yamlDocument(doc, options));
  });
  return out;
}

/**
 * Writes a YAML stream to a file (or an open file descriptor) as it goes, a few documents at a time, so that the
 * whole stream is never one string. Returns the number of characters written.
 */
export function writeYamlStream(
  target: string | number,
  documents: Iterable<unknown>,
  options: YamlWriterOptions = {},
): number {
  const fd = typeof target === 'number' ? target : fs.openSync(target, 'w');
  let pending = '';
  let total = 0;
  let first = true;
  const flush = () => {
    fs.writeSync(fd, pending);
    total += pending.length;
    pending = '';
  };
  try {
    for (const doc of documents) {
      pending += (first ? '' : '---\n') + (doc === undefined ? '\n' : yamlDocument(doc, options));
      first = false;
      if (pending.length >= 1 << 16) flush();
    }
    if (pending) flush();
  } finally {
    if (typeof target !== 'number') fs.closeSync(fd);
  }
  return total;
}

/** Strings that a plain scalar would turn into another type, by schema (the `yaml` package's tag tests). */
const OTHER_TYPES: Record<'1.1' | '1.2', RegExp[]> = {
  '1.1': [
    /^(?:~|[Nn]ull|NULL)?$/,
    /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    /^[-+]?0b[0-1_]+$/,
    /^[-+]?0[0-7_]+$/,
    /^[-+]?[0-9][0-9_]*$/,
    /^[-+]?0x[0-9a-fA-F_]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  ],
  '1.2': [
    /^(?:~|[Nn]ull|NULL)?$/,
    /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    /^0o[0-7]+$/,
    /^[-+]?[0-9]+$/,
    /^0x[0-9a-fA-F]+$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  ],
};
/** The first characters those strings can have (and the empty string, a null). */
const OTHER_TYPE_STARTS = new Set('~NnYyTtFfOoEe+-.0123456789');

/** Control characters and lone surrogates: only a double-quoted scalar can hold them. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NEEDS_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar cannot be: an indicator first, `- `/`? ` first, `: ` or ` #` inside, space or `:` last. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** A line that a parser would read as a directive or a document marker. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** Escapes that JSON.stringify writes as \u00XX and YAML has short forms for. */
const SHORT_ESCAPES: Record<string, string> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};
/** Double-quoted scalars shorter than this keep `\n` escapes on one line. */
const MIN_MULTILINE_DOUBLE_QUOTED = 40;
const INDENT = '  ';
/**
 * Keys as written, by schema: the same few keys come back in every object, and how a key is written depends on its
 * indentation only when it looks like a document marker (those are not kept). Emptied when it grows large.
 */
const KEYS: Record<'1.1' | '1.2', Map<string, string>> = { '1.1': new Map(), '1.2': new Map() };
/**
 * Short one-line string values as written, by schema: the same values come back too (images, ports' names, env
 * names), and one without a line break that does not look like a document marker is written the same at any depth.
 */
const VALUES: Record<'1.1' | '1.2', Map<string, string>> = { '1.1': new Map(), '1.2': new Map() };
const MAX_KEYS = 10_000;
const MAX_CACHED_VALUE = 256;

class DocumentWriter {
  private readonly otherTypes: RegExp[];
  private readonly keys: Map<string, string>;
  private readonly values: Map<string, string>;
  /** Objects that appear more than once, with their anchor names; those already written. */
  private readonly anchors?: Map<object, string>;
  private readonly anchored = new Set<object>();
  private readonly keepUndefined: boolean;
  private readonly sortKeys: boolean;
  /** Whether a value scalar written so far would be folded at the `yaml` package's default line width. */
  folds = false;

  constructor(
    root: unknown,
    options: YamlWriterOptions,
    /** Look for scalars that would be folded (yamlFoldsLines). */
    private readonly checkFolds = false,
  ) {
    this.otherTypes = OTHER_TYPES[options.version ?? '1.1'];
    this.keys = KEYS[options.version ?? '1.1'];
    this.values = VALUES[options.version ?? '1.1'];
    this.keepUndefined = options.keepUndefined ?? true;
    this.sortKeys = options.sortKeys ?? false;
    if (options.aliasDuplicateObjects ?? true) this.anchors = findRepeatedObjects(root);
  }

  /**
   * The text written so far, in pieces joined once at the end: one flat string, where nesting concatenated strings
   * would make a deep rope that costs as much again to flatten when it is written out.
   */
  readonly parts: string[] = [];

  /** Writes a value at `indent` (the indentation of its block's lines), as the `yaml` package's stringify(item, ctx). */
  write(value: unknown, indent: string): void {
    if (typeof value === 'object' && value !== null) this.object(value, indent);
    else this.parts.push(this.scalar(value, indent));
  }

  /** A value that is not an object or array, as a value (not a key). */
  private scalar(value: unknown, indent: string): string {
    switch (typeof value) {
      case 'string': {
        let out = this.values.get(value);
        if (out === undefined) {
          out = this.string(value, indent, false);
          if (value.length <= MAX_CACHED_VALUE && !value.includes('\n') && !DOCUMENT_MARKER.test(value)) {
            if (this.values.size >= MAX_KEYS) this.values.clear();
            this.values.set(value, out);
          }
        }
        return out;
      }
      case 'number':
        return this.number(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return String(value);
      case 'undefined':
        return 'null';
      case 'object':
        return 'null';
      default:
        throw new TypeError(`YAML writer: a ${typeof value} is not a JSON value`);
    }
  }

  private number(value: number): string {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
    return Object.is(value, -0) ? '-0' : String(value);
  }

  /** An object or array: an alias if written before, anchored if it comes again, else its collection. */
  private object(value: object, indent: string): void {
    const anchor = this.anchors?.get(value);
    if (anchor !== undefined) {
      if (this.anchored.has(value)) {
        this.parts.push(`*${anchor}`);
        return;
      }
      this.anchored.add(value);
      this.parts.push(this.isEmpty(value) ? `&${anchor} ` : `&${anchor}\n${indent}`);
    }
    this.collection(value, indent);
  }

  /** Whether a collection is written as `{}` or `[]`. */
  private isEmpty(value: object): boolean {
    if (Array.isArray(value)) return value.length === 0;
    for (const key in value)
      if (
        Object.prototype.hasOwnProperty.call(value, key) &&
        (this.keepUndefined || (value as Record<string, unknown>)[key] !== undefined)
      )
        return false;
    return true;
  }

  private collection(value: object, indent: string): void {
    const inner = indent + INDENT;
    const parts = this.parts;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        parts.push('[]');
        return;
      }
      for (let i = 0; i < value.length; i++) {
        parts.push(i === 0 ? '- ' : `\n${indent}- `);
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) {
          this.object(item, inner);
        } else {
          const text = this.scalar(item, inner);
          if (this.checkFolds && typeof item === 'string') this.checkFold(text, inner, undefined);
          parts.push(text);
        }
      }
      return;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || Symbol.iterator in value) {
      throw new TypeError(`YAML writer: a ${value.constructor?.name ?? 'non-plain object'} is not a JSON value`);
    }
    const record = value as Record<string, unknown>;
    let first = true;
    const keys = Object.keys(record);
    if (this.sortKeys) keys.sort();
    for (const key of keys) {
      if (record[key] === undefined && !this.keepUndefined) continue;
      if (!first) parts.push(`\n${indent}`);
      first = false;
      this.pair(key, record[key], indent, inner);
    }
    if (first) parts.push('{}');
  }

  /** `key: value` in a block mapping whose lines are at `indent`. */
  private pair(key: string, value: unknown, indent: string, inner: string): void {
    let out = this.keys.get(key);
    if (out === undefined) {
      out = this.string(key, inner, true);
      if (!DOCUMENT_MARKER.test(key)) {
        if (this.keys.size >= MAX_KEYS) this.keys.clear();
        this.keys.set(key, out);
      }
    }
    // Keys longer than 1024 characters are not implicit keys in YAML.
    const explicit = out.length > 1024;
    out = explicit ? `? ${out}\n${indent}:` : `${out}:`;
    if (typeof value === 'object' && value !== null) {
      // A collection goes on the next lines, unless it is empty (`{}`, `[]`), an alias, or anchored (`&a1` stays
      // here), or its key is explicit.
      const sameLine = explicit || this.anchors?.has(value) === true || this.isEmpty(value);
      this.parts.push(sameLine ? `${out} ` : `${out}\n${inner}`);
      this.object(value, inner);
      return;
    }
    const text = this.scalar(value, inner);
    // `yaml` counts a value's start after `key: ` from the key, not from the line's indentation
    if (this.checkFolds && typeof value === 'string')
      this.checkFold(text, inner, explicit ? undefined : out.length + 1);
    this.parts.push(out + (text === '' || text[0] === '\n' ? '' : ' ') + text);
  }

  /** Notes whether `yaml` would fold a value scalar written as `text` (block scalars, `|`, are never folded). */
  private checkFold(text: string, indent: string, indentAtStart: number | undefined): void {
    if (this.folds || text[0] === '|') return;
    const mode = text[0] === '"' ? 'quoted' : 'flow';
    this.folds = foldFlowLines(text, indent, mode, { indentAtStart, lineWidth: 80, minContentWidth: 20 }) !== text;
  }

  private string(value: string, indent: string, implicitKey: boolean): string {
    if (NEEDS_ESCAPES.test(value)) return doubleQuoted(value, indent, implicitKey);
    const multiline = value.includes('\n');
    if (implicitKey && multiline) return quoted(value, indent, implicitKey);
    if (NOT_PLAIN.test(value))
      return implicitKey || !multiline ? quoted(value, indent, implicitKey) : block(value, indent, false, implicitKey);
    if (multiline) return block(value, indent, false, implicitKey);
    if (DOCUMENT_MARKER.test(value)) {
      if (indent === '') return block(value, indent, true, implicitKey);
      if (implicitKey && indent === INDENT) return quoted(value, indent, implicitKey);
    }
    if ((value === '' || OTHER_TYPE_STARTS.has(value[0])) && this.otherTypes.some((test) => test.test(value))) {
      return quoted(value, indent, implicitKey);
    }
    return value;
  }
}

/** The objects reachable more than once from `root`, named a1, a2, ... in the order the repeats are met. */
function findRepeatedObjects(root: unknown): Map<object, string> | undefined {
  const seen = new Set<object>();
  let repeated: Map<object, string> | undefined;
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (seen.has(value)) {
      repeated ??= new Map();
      if (!repeated.has(value)) repeated.set(value, `a${repeated.size + 1}`);
      return;
    }
    seen.add(value);
    if (Array.isArray(value)) for (const item of value) visit(item);
    else
      for (const key in value)
        if (Object.prototype.hasOwnProperty.call(value, key)) visit((value as Record<string, unknown>)[key]);
  };
  visit(root);
  return repeated;
}

/** Single quotes for a string with double quotes only, double quotes otherwise. */
function quoted(value: string, indent: string, implicitKey: boolean): string {
  return value.includes('"') && !value.includes("'")
    ? singleQuoted(value, indent, implicitKey)
    : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  // Whitespace next to a line break would be folded away in single quotes.
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value))
    return doubleQuoted(value, indent, implicitKey);
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? INDENT : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, (breaks) => `${breaks}\n${lineIndent}`)}'`;
}

/**
 * A double-quoted scalar: JSON's escapes with YAML's short forms; outside keys, a scalar of 40 characters or more
 * writes its line breaks as folded lines (an empty line per break), escaping the spaces folding would eat.
 */
function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? INDENT : '');
  const fold = !implicitKey && json.length >= MIN_MULTILINE_DOUBLE_QUOTED;
  let out = '';
  let copied = 0; // json[copied..i) is yet to be appended
  for (let i = 0; i < json.length; i++) {
    if (json[i] === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a line break: escaped, or folding would drop it
      out += `${json.slice(copied, i)}\\ `;
      copied = ++i;
    } else if (json[i] !== '\\') {
      continue;
    }
    const escape = json[i + 1];
    if (escape === 'u') {
      const code = json.slice(i + 2, i + 6);
      out +=
        json.slice(copied, i) +
        (SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.slice(i, i + 6)));
      i += 5;
      copied = i + 1;
    } else if (escape === 'n' && fold && json[i + 2] !== '"') {
      out += `${json.slice(copied, i)}\n\n`;
      while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
        out += '\n';
        i += 2;
      }
      out += lineIndent;
      // a space after a line break: escaped, or folding would drop it
      if (json[i + 2] === ' ') out += '\\';
      i += 1;
      copied = i + 1;
    } else {
      i += 1;
    }
  }
  return copied ? out + json.slice(copied) : json;
}

/** A literal block scalar (`|`), with the chomping and indentation indicators its first and last lines need. */
function block(value: string, indent: string, forceIndent: boolean, implicitKey: boolean): string {
  // A block cannot end in whitespace after its last line break.
  if (/\n[\t ]+$/.test(value)) return quoted(value, indent, implicitKey);
  const lineIndent = indent || (forceIndent || DOCUMENT_MARKER.test(value) ? INDENT : '');
  let contentEnd = value.length;
  while (
    contentEnd > 0 &&
    (value[contentEnd - 1] === '\n' || value[contentEnd - 1] === '\t' || value[contentEnd - 1] === ' ')
  )
    contentEnd--;
  let end = value.slice(contentEnd);
  const endBreak = end.indexOf('\n');
  const chomp = endBreak === -1 ? '-' : value === end || endBreak !== end.length - 1 ? '+' : '';
  let body = value;
  if (end) {
    body = value.slice(0, contentEnd);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, (breaks) => breaks + lineIndent);
  }
  let leadingSpace = false;
  let lastLeadingBreak = -1;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === ' ') leadingSpace = true;
    else if (body[i] === '\n') lastLeadingBreak = i;
    else break;
  }
  let start = body.slice(0, lastLeadingBreak + 1);
  if (start) {
    body = body.slice(start.length);
    start = start.replace(/\n+/g, (breaks) => breaks + lineIndent);
  }
  const header = (leadingSpace ? (lineIndent ? '2' : '1') : '') + chomp;
  return `|${header}\n${lineIndent}${start}${body.replace(/\n+/g, (breaks) => breaks + lineIndent)}${end}`;
}
