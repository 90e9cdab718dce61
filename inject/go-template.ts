/**
 * Go's text/template, as much of it as injection templates use: text and actions with `{{-`/`-}}` trimming and
 * comments, pipelines, variables, `if`/`else if`/`range`/`with`/`define`/`template`, and the functions given to
 * it. Values are plain JSON; a Go struct is a `GoStruct`, whose fields are read by their Go names (`.Spec.Containers`)
 * and printed with their JSON names, as encoding/json would.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Go templates call functions with values of any type
export type Funcs = Record<string, (...args: any[]) => unknown>;

/** A Go struct over its JSON form: `.Containers` reads `containers`; `.GetFoo` reads `foo` or nil. */
export class GoStruct {
  constructor(
    readonly json: Record<string, unknown>,
    /** Fields that hold maps, by JSON name; other objects (and lists of them) are structs, wrapped when read. */
    readonly maps: ReadonlySet<string> = new Set(),
    /** Zero values of fields the JSON leaves out (Go prints "" for a missing string, ranges over a nil list). */
    readonly zero: unknown = '',
  ) {}
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe }
  | { kind: 'if' | 'with'; pipe: Pipe; list: Node[]; else: Node[] }
  | { kind: 'range'; pipe: Pipe; list: Node[]; else: Node[] }
  | { kind: 'template'; name: string; pipe: Pipe | undefined };

interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Operand[][];
}

type Operand =
  | { kind: 'lit'; value: unknown }
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'pipe'; pipe: Pipe; path: string[] };

/** A parsed template set: the main template and those it defines. */
export class GoTemplate {
  private readonly templates = new Map<string, Node[]>();
  private readonly main: Node[];

  constructor(
    source: string,
    private readonly funcs: Funcs,
  ) {
    const tokens = lex(source);
    let at = 0;
    const parseList = (stop: readonly string[]): { list: Node[]; end: string } => {
      const list: Node[] = [];
      while (at < tokens.length) {
        const t = tokens[at++];
        if (t.kind === 'text') {
          list.push({ kind: 'text', text: t.text });
          continue;
        }
        const words = t.text.trim();
        const keyword = /^(if|else|end|range|with|define|template|block)\b/.exec(words)?.[1];
        if (keyword === 'end' || keyword === 'else') {
          if (!stop.includes(keyword)) throw new Error(`template: unexpected {{${words}}}`);
          at--;
          return { list, end: keyword };
        }
        if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
          list.push(parseControl(keyword, words.slice(keyword.length)));
        } else if (keyword === 'define') {
          const name = parseString(words.slice('define'.length).trim());
          const body = parseList(['end']);
          at++;
          this.templates.set(name, body.list);
        } else if (keyword === 'template') {
          const rest = words.slice('template'.length).trim();
          const m = /^("(?:[^"\\]|\\.)*"|`[^`]*`)\s*(.*)$/s.exec(rest);
          if (!m) throw new Error(`template: bad {{${words}}}`);
          list.push({ kind: 'template', name: parseString(m[1]), pipe: m[2] ? parsePipe(m[2]) : undefined });
        } else {
          list.push({ kind: 'action', pipe: parsePipe(words) });
        }
      }
      if (stop.length > 0) throw new Error('template: unexpected end of input, missing {{end}}');
      return { list, end: '' };
    };
    const parseControl = (kind: 'if' | 'with' | 'range', rest: string): Node => {
      const pipe = parsePipe(rest);
      const body = parseList(['else', 'end']);
      let elseList: Node[] = [];
      const closing = tokens[at++].text.trim();
      if (body.end === 'else') {
        const elseIf = /^else\s+(if|with)\b(.*)$/s.exec(closing);
        if (elseIf) {
          // `else if` closes with the outer {{end}}
          elseList = [parseControl(elseIf[1] as 'if' | 'with', elseIf[2])];
          return { kind, pipe, list: body.list, else: elseList };
        }
        const tail = parseList(['end']);
        at++;
        elseList = tail.list;
      }
      return { kind, pipe, list: body.list, else: elseList };
    };
    this.main = parseList([]).list;
  }

  /** Renders the template with `data` as dot. */
  render(data: unknown): string {
    const out: string[] = [];
    this.exec(this.main, data, [new Map([['$', data]])], out);
    return out.join('');
  }

  private exec(list: Node[], dot: unknown, scopes: Map<string, unknown>[], out: string[]): void {
    for (const node of list) {
      switch (node.kind) {
        case 'text':
          out.push(node.text);
          break;
        case 'action': {
          const value = this.pipe(node.pipe, dot, scopes);
          if (node.pipe.decl.length === 0) out.push(printValue(value));
          break;
        }
        case 'if':
        case 'with': {
          const inner = [...scopes, new Map<string, unknown>()];
          const value = this.pipe(node.pipe, dot, inner);
          if (truth(value)) this.exec(node.list, node.kind === 'with' ? value : dot, inner, out);
          else this.exec(node.else, dot, [...scopes, new Map()], out);
          break;
        }
        case 'range': {
          const { decl } = node.pipe;
          const value = this.pipe({ ...node.pipe, decl: [] }, dot, scopes);
          const entries: [unknown, unknown][] = Array.isArray(value)
            ? value.map((v, i) => [i, v])
            : isMap(value)
              ? Object.keys(value)
                  .sort()
                  .map((k) => [k, value[k]])
              : value instanceof GoStruct || value === undefined || value === null || value === ''
                ? []
                : (() => {
                    throw new Error(`template: range can't iterate over ${printValue(value)}`);
                  })();
          if (entries.length === 0) {
            this.exec(node.else, dot, [...scopes, new Map()], out);
            break;
          }
          for (const [key, item] of entries) {
            const scope = new Map<string, unknown>();
            if (decl.length === 1) scope.set(decl[0], item);
            if (decl.length === 2) {
              scope.set(decl[0], key);
              scope.set(decl[1], item);
            }
            this.exec(node.list, item, [...scopes, scope], out);
          }
          break;
        }
        case 'template': {
          const body = this.templates.get(node.name);
          if (!body) throw new Error(`template: no template "${node.name}"`);
          const value = node.pipe ? this.pipe(node.pipe, dot, scopes) : undefined;
          this.exec(body, value, [new Map([['$', value]])], out);
          break;
        }
      }
    }
  }

  private pipe(pipe: Pipe, dot: unknown, scopes: Map<string, unknown>[]): unknown {
    let value: unknown;
    let piped = false;
    for (const cmd of pipe.cmds) {
      value = this.command(cmd, dot, scopes, piped ? [value] : []);
      piped = true;
    }
    if (pipe.decl.length > 0) {
      const name = pipe.decl[pipe.decl.length - 1];
      if (pipe.assign) {
        const scope = [...scopes].reverse().find((s) => s.has(name));
        if (!scope) throw new Error(`template: undefined variable ${name}`);
        scope.set(name, value);
      } else {
        scopes[scopes.length - 1].set(name, value);
      }
    }
    return value;
  }

  private command(cmd: Operand[], dot: unknown, scopes: Map<string, unknown>[], piped: unknown[]): unknown {
    const [first, ...rest] = cmd;
    if (first.kind === 'ident') {
      if (first.name === 'and' || first.name === 'or') {
        // evaluated lazily, as Go does
        const args = [...rest.map((op) => () => this.operand(op, dot, scopes)), ...piped.map((v) => () => v)];
        let last: unknown;
        for (const arg of args) {
          last = arg();
          if (first.name === 'and' ? !truth(last) : truth(last)) return last;
        }
        return last;
      }
      const fn = this.funcs[first.name];
      if (!fn) throw new Error(`template: function "${first.name}" not defined`);
      return fn(...rest.map((op) => this.operand(op, dot, scopes)), ...piped);
    }
    if (rest.length > 0 || piped.length > 0) {
      // a method-like field with arguments is not used by injection templates
      throw new Error('template: can only give arguments to a function');
    }
    return this.operand(first, dot, scopes);
  }

  private operand(op: Operand, dot: unknown, scopes: Map<string, unknown>[]): unknown {
    switch (op.kind) {
      case 'lit':
        return op.value;
      case 'ident':
        return this.command([op], dot, scopes, []);
      case 'pipe':
        return fieldPath(this.pipe(op.pipe, dot, scopes), op.path);
      case 'field': {
        if (op.base === 'dot') return fieldPath(dot, op.path);
        const scope = [...scopes].reverse().find((s) => s.has(op.base));
        if (!scope) throw new Error(`template: undefined variable ${op.base}`);
        return fieldPath(scope.get(op.base), op.path);
      }
    }
  }
}

function fieldPath(value: unknown, path: string[]): unknown {
  let at = value;
  for (const name of path) at = field(at, name);
  return at;
}

/** `.Name` on a value: a struct field (or Get method), a map key, or a method of a scalar. */
function field(value: unknown, name: string): unknown {
  if (value instanceof GoStruct) {
    const getter = /^Get([A-Z].*)$/.exec(name);
    const key = jsonName(getter ? getter[1] : name);
    if (!(key in value.json) || value.json[key] === undefined) return getter ? undefined : value.zero;
    const inner = value.json[key];
    if (value.maps.has(key)) return inner;
    const wrap = (v: unknown) => (isMap(v) ? new GoStruct(v, value.maps, value.zero) : v);
    return Array.isArray(inner) ? inner.map(wrap) : wrap(inner);
  }
  if (isMap(value)) return value[name];
  if (name === 'String') return value === undefined || value === null ? '' : String(value);
  if (name === 'GetValue') return value ?? false;
  return undefined;
}

function jsonName(goName: string): string {
  if (goName === 'APIVersion') return 'apiVersion';
  return goName.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());
}

/** Go templates' truth: false, 0, "", nil and empty maps, lists and strings are false. */
export function truth(value: unknown): boolean {
  if (value instanceof GoStruct) return true;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoStruct);
}

/** A value as the template prints it (`fmt.Print`). */
export function printValue(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (value instanceof GoStruct) return `{${Object.values(value.json).map(printValue).join(' ')}}`;
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (isMap(value)) {
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${printValue(value[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}

/** The JSON of a value, structs by their JSON names. */
export function plain(value: unknown): unknown {
  if (value instanceof GoStruct) return plain(value.json);
  if (Array.isArray(value)) return value.map(plain);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

type Token = { kind: 'text' | 'action'; text: string };

/** Splits a template into text and actions, applying the trim markers and dropping comments. */
function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let trimNext = false;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    let text = source.slice(at, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) tokens.push({ kind: 'text', text });
      break;
    }
    let start = open + 2;
    if (source.startsWith('- ', start) || source.startsWith('-\n', start) || source.startsWith('-\t', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text) tokens.push({ kind: 'text', text });
    const close = actionEnd(source, start);
    let inner = source.slice(start, close);
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      trimNext = true;
    }
    at = close + 2;
    if (/^\s*\/\*[\s\S]*\*\/\s*$/.test(inner)) continue;
    tokens.push({ kind: 'action', text: inner });
  }
  return tokens;
}

/** Where the action starting at `from` ends (its `}}`), skipping strings and comments. */
function actionEnd(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (c === '`') {
      i = source.indexOf('`', i + 1);
    } else if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i) + 1;
    } else if (c === '}' && source[i + 1] === '}') {
      return i;
    }
  }
  throw new Error('template: unclosed action');
}

function parseString(text: string): string {
  return text.startsWith('`') ? text.slice(1, -1) : (JSON.parse(text) as string);
}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(:=|=|\||\(|\)|,)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(\.(?:[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)?)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

/** Parses a pipeline: `[$x :=] cmd | cmd ...`, each cmd a list of operands. */
function parsePipe(text: string): Pipe {
  const words: string[] = [];
  TOKEN.lastIndex = 0;
  const source = text.trim();
  while (TOKEN.lastIndex < source.length) {
    const before = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`template: cannot parse "${source.slice(before)}"`);
    words.push(m[0].trim());
  }
  let at = 0;
  const decl: string[] = [];
  let assign = false;
  // `$a, $b :=` or `$a :=` or `$a =`
  const declEnd = words.findIndex((w) => w === ':=' || w === '=');
  if (declEnd > 0 && words.slice(0, declEnd).every((w) => w === ',' || /^\$[A-Za-z0-9_]*$/.test(w))) {
    decl.push(...words.slice(0, declEnd).filter((w) => w !== ','));
    assign = words[declEnd] === '=';
    at = declEnd + 1;
  }
  const parseCmds = (stopAtParen: boolean): Operand[][] => {
    const cmds: Operand[][] = [[]];
    while (at < words.length) {
      const w = words[at];
      if (w === ')') {
        if (!stopAtParen) throw new Error(`template: unexpected ) in "${source}"`);
        return cmds;
      }
      at++;
      if (w === '|') {
        cmds.push([]);
      } else if (w === '(') {
        const inner = parseCmds(true);
        at++; // the )
        const path: string[] = [];
        while (at < words.length && /^\.[A-Za-z]/.test(words[at]) && !/\s/.test(words[at])) {
          path.push(...words[at].slice(1).split('.'));
          at++;
        }
        cmds[cmds.length - 1].push({ kind: 'pipe', pipe: { decl: [], assign: false, cmds: inner }, path });
      } else {
        cmds[cmds.length - 1].push(operandOf(w));
      }
    }
    if (stopAtParen) throw new Error(`template: missing ) in "${source}"`);
    return cmds;
  };
  const cmds = parseCmds(false);
  if (cmds.some((c) => c.length === 0)) throw new Error(`template: empty command in "${source}"`);
  return { decl, assign, cmds };
}

function operandOf(word: string): Operand {
  if (word.startsWith('"') || word.startsWith('`')) return { kind: 'lit', value: parseString(word) };
  if (/^-?\d/.test(word)) return { kind: 'lit', value: Number(word) };
  if (word === 'true' || word === 'false') return { kind: 'lit', value: word === 'true' };
  if (word === 'nil') return { kind: 'lit', value: null };
  if (word === '.') return { kind: 'field', base: 'dot', path: [] };
  if (word.startsWith('.')) return { kind: 'field', base: 'dot', path: word.slice(1).split('.') };
  if (word.startsWith('$')) {
    const [base, ...path] = word.split('.');
    return { kind: 'field', base, path };
  }
  return { kind: 'ident', name: word };
}
