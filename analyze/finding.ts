import { formatPath, type FieldPath } from '../validate/schema-validator';

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
}

/** The object a finding is about. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Left out for cluster-scoped objects. */
  readonly namespace?: string;
}

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
