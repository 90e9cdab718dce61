import type { FieldPath } from '../validate/schema-validator';
import type { MessageType } from './finding';
import { type IndexedObject } from '../kube/object-index';
import type { Mesh } from './mesh';

/** Reports a finding of one of the check's message types about an object. */
export type Report = (type: MessageType, object: IndexedObject, message: string, path?: FieldPath) => void;

/** One analyzer check (or a small family of them): the messages it reports and how it finds them. */
export interface Check {
  /** What the check looks at, in one line. */
  readonly description: string;
  readonly messages: readonly MessageType[];
  run(mesh: Mesh, report: Report): void;
}
