import { formatPath, type FieldPath } from '../validate/schema-validator';
import { CATALOGUE } from './messages';
import type { ObjectRef } from '../kube/object';

/** How bad a finding is: errors fail the synth, warnings are printed, infos only show in `npm run analyze`. */
export type Level = 'error' | 'warning' | 'info';

export const LEVELS: readonly Level[] = ['error', 'warning', 'info'];

/** A kind of finding: istioctl's code and meaning (IST....), or one of this project's own (HI....). */
export interface MessageType {
  readonly code: string;
  /** istioctl's name for the message, or ours in the same style. */
  readonly name: string;
  readonly level: Level;
  /** One line: what the finding means. */
  readonly summary: string;
  /** The finding's text, with Go verbs (`%s`, `%q`, `%v`, `%d`) for its arguments, as istioctl words it. */
  readonly template: string;
}

/** A message type of the catalogue (analyze/messages.ts), by code. */
export function messageType(code: string): MessageType {
  const type = CATALOGUE.find((m) => m.code === code);
  if (!type)
    throw new Error(`no message ${code} in the catalogue (analyze/own-messages.yaml, npm run analyze:messages)`);
  return type;
}

/** A message's text: its template with the arguments filled in as Go's fmt does (`%q` quotes, `%v` of a list is `[a b]`). */
export function formatMessage(type: MessageType, ...args: readonly unknown[]): string {
  let next = 0;
  return type.template.replace(/%([sqvd%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const value = args[next++];
    if (verb === 'q') return JSON.stringify(String(value));
    return goValue(value);
  });
}

function goValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  return String(value);
}

/** The object a finding is about. */
export type { ObjectRef };

/** One problem the validation or the analyzer found. */
export interface Finding {
  readonly code: string;
  readonly level: Level;
  readonly object: ObjectRef;
  /** The field to blame, when there is one. */
  readonly path?: FieldPath;
  /** One line saying what is wrong. */
  readonly message: string;
}

/** `VirtualService bookinfo/reviews`, `Namespace bookinfo`. */
export function describeObject(object: ObjectRef): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

/** One line, for synth output and error messages: `IST0101 VirtualService bookinfo/reviews: spec.http[0]...: ...`. */
export function formatFinding(finding: Finding): string {
  const where = finding.path && finding.path.length > 0 ? ` ${formatPath(finding.path)}:` : '';
  return `${finding.code} ${describeObject(finding.object)}:${where} ${finding.message}`;
}
