import * as fs from 'node:fs';
import * as path from 'node:path';
import { DistReadError, readerOf, type DistEntry, type DistSection } from './dist-entries';
import { fieldChanges, type ChangeStatus, type FieldChange } from './field-changes';

/** An object, Terraform block or file that differs between two dist/ trees. */
export interface EntryChange {
  readonly status: ChangeStatus;
  /** What it is, such as `VirtualService bookinfo/reviews` or `resource google_container_cluster.gke_Cluster_D5F41316`. */
  readonly name: string;
  /** The file that holds it, relative to dist/ (the old one when it was removed). */
  readonly file: string;
  /** For a changed entry, each field that differs; a move to another file is the pseudo-field `(file)`. */
  readonly fields: readonly FieldChange[];
  /** Why a file is listed when none of its objects changed. */
  readonly note?: string;
}

/** The changes in one part of dist/, such as one environment's Kubernetes objects. */
export interface SectionChanges extends DistSection {
  readonly entries: readonly EntryChange[];
}

/** How one dist/ tree differs from another: only sections with changes, in report order. */
export interface DistDiff {
  readonly sections: readonly SectionChanges[];
}

/**
 * Compares two dist/ trees object by object: Kubernetes objects by API group, kind, namespace and name; Terraform
 * blocks by stack, block type and name; every other file as a whole. A file whose bytes differ while none of its
 * objects does (reordered objects, reformatted JSON) is listed too, so that any difference between the trees is
 * reported. A folder that does not exist counts as empty.
 *
 * @throws DistReadError when a file cannot be read as what its place in dist/ says it is
 */
export function diffTrees(before: string, after: string): DistDiff {
  const oldFiles = readFiles(before);
  const newFiles = readFiles(after);
  const sections = new Map<
    string,
    { section: DistSection; before: Map<string, DistEntry>; after: Map<string, DistEntry> }
  >();
  const sectionOf = (section: DistSection) => {
    let state = sections.get(section.location);
    if (!state) sections.set(section.location, (state = { section, before: new Map(), after: new Map() }));
    return state;
  };
  const allFiles = [...new Set([...oldFiles.keys(), ...newFiles.keys()])].sort();
  for (const file of allFiles) {
    const reader = readerOf(file);
    const state = sectionOf(reader.section);
    if (!reader.read) continue;
    for (const [files, entries] of [
      [oldFiles, state.before],
      [newFiles, state.after],
    ] as const) {
      const content = files.get(file);
      if (content === undefined) continue;
      for (const entry of reader.read(content.toString('utf8'), file)) {
        const other = entries.get(entry.key);
        if (other) throw new DistReadError(file, `${entry.name} is written twice (also in ${other.file})`);
        entries.set(entry.key, entry);
      }
    }
  }

  const changes = new Map<string, EntryChange[]>();
  const touched = new Set<string>();
  for (const [location, state] of sections) {
    const list: EntryChange[] = [];
    changes.set(location, list);
    for (const [key, old] of state.before) {
      const current = state.after.get(key);
      if (!current) {
        list.push({ status: 'removed', name: old.name, file: old.file, fields: [] });
        touched.add(old.file);
        continue;
      }
      const fields = fieldChanges(old.content, current.content);
      if (old.file !== current.file)
        fields.push({ status: 'changed', path: '(file)', before: old.file, after: current.file });
      if (fields.length > 0) {
        list.push({ status: 'changed', name: current.name, file: current.file, fields });
        touched.add(old.file).add(current.file);
      }
    }
    for (const [key, entry] of state.after) {
      if (state.before.has(key)) continue;
      list.push({ status: 'added', name: entry.name, file: entry.file, fields: [] });
      touched.add(entry.file);
    }
  }

  // Whatever differs in bytes and no entry above accounts for.
  for (const file of allFiles) {
    const old = oldFiles.get(file);
    const current = newFiles.get(file);
    if (touched.has(file) || (old && current && old.equals(current))) continue;
    const reader = readerOf(file);
    const status: ChangeStatus = !old ? 'added' : !current ? 'removed' : 'changed';
    const note = !reader.read
      ? undefined
      : status === 'changed'
        ? 'no object in it changed: their order or formatting did'
        : 'holds no objects';
    changes.get(reader.section.location)!.push({ status, name: file, file, fields: [], ...(note && { note }) });
  }

  return {
    sections: [...sections.values()]
      .map(({ section }) => ({ ...section, entries: changes.get(section.location)!.sort(byName) }))
      .filter((s) => s.entries.length > 0)
      .sort((a, b) => a.rank - b.rank || compare(a.location, b.location)),
  };
}

/** How many entries were added, removed and changed. */
export function countChanges(diff: DistDiff): Record<ChangeStatus, number> {
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const section of diff.sections) for (const entry of section.entries) counts[entry.status] += 1;
  return counts;
}

function byName(a: EntryChange, b: EntryChange): number {
  return compare(a.name, b.name) || compare(a.status, b.status);
}

/** Plain code-unit order, the same on every machine (unlike localeCompare). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every file under `dir` (relative, with `/`), with its bytes. */
function readFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) files.set(entry.split(path.sep).join('/'), fs.readFileSync(file));
  }
  return files;
}
