import { countChanges, type DistDiff, type EntryChange, type SectionChanges } from './dist-diff';
import { formatValue, type FieldChange } from './field-changes';

/** Options of both report formats. */
export interface DiffReportOptions {
  /**
   * How the two trees are named: the old one (a folder) and the new one.
   * @default - the committed dist/ and a fresh synth, which `npm run synth` would write into it
   */
  readonly trees?: { readonly from: string; readonly to: string };
}

/** The names of the trees and what the report says about them. */
function wording(options: DiffReportOptions) {
  const { from, to } = options.trees ?? { from: 'dist/', to: 'a fresh synth' };
  return options.trees
    ? { same: `${from} and ${to} are the same.`, title: `Changes from ${from} to ${to}`, next: undefined }
    : {
        same: `${from} is what the sources synthesize.`,
        title: `Changes from ${from} to ${to}`,
        next: `\`npm run synth\` writes these changes into ${from}; commit them with the change that caused them.`,
      };
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** The diff as plain text for a terminal: one line per object, then one per changed field, indented. */
export function formatText(diff: DistDiff, options: DiffReportOptions = {}): string {
  const words = wording(options);
  if (diff.sections.length === 0) return `No changes: ${words.same}\n`;
  const lines = [`${words.title}: ${summary(diff)}.`];
  for (const section of diff.sections) {
    lines.push('', `${section.title} (${location(section)})`);
    for (const entry of section.entries) {
      const file = fileWithin(section, entry);
      lines.push(
        `  ${MARK[entry.status]} ${entry.name}${file ? `  (${file})` : ''}${entry.note ? `: ${entry.note}` : ''}`,
      );
      for (const field of entry.fields) lines.push(`      ${fieldLine(field)}`);
    }
  }
  if (words.next) lines.push('', words.next);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown for a pull request comment or a job summary: a table per section. */
export function formatMarkdown(diff: DistDiff, options: DiffReportOptions = {}): string {
  const words = wording(options);
  if (diff.sections.length === 0) return `### Synth diff: no changes\n\n${words.same}\n`;
  const out = [`### Synth diff: ${summary(diff)}`, '', `${words.title}.`];
  for (const section of diff.sections) {
    out.push('', `#### ${section.title} (${code(location(section))})`, '');
    out.push(row(['Change', 'Object', 'Field', 'Before', 'After']), row(['---', '---', '---', '---', '---']));
    for (const entry of section.entries) out.push(...markdownRows(section, entry));
  }
  return `${out.join('\n')}\n`;
}

function summary(diff: DistDiff): string {
  const counts = countChanges(diff);
  return `${counts.added} added, ${counts.removed} removed, ${counts.changed} changed`;
}

/** Where a section's files are in the repository. */
function location(section: SectionChanges): string {
  return section.location === '.' ? 'dist/' : `dist/${section.location}`;
}

/** The entry's file relative to its section's folder, when that adds anything. */
function fileWithin(section: SectionChanges, entry: EntryChange): string | undefined {
  if (entry.name === entry.file || section.location === '.') return undefined;
  const file = entry.file.slice(section.location.length + 1);
  return section.location.startsWith('cdktf/') ? undefined : file;
}

function fieldLine(field: FieldChange): string {
  const where = field.path || '(value)';
  switch (field.status) {
    case 'added':
      return `+ ${where}: ${formatValue(field.after)}`;
    case 'removed':
      return `- ${where}: ${formatValue(field.before)}`;
    case 'changed':
      return `${where}: ${formatValue(field.before)} → ${formatValue(field.after)}`;
  }
}

function markdownRows(section: SectionChanges, entry: EntryChange): string[] {
  const file = fileWithin(section, entry);
  const object = `${code(entry.name)}${file ? ` in ${code(file)}` : ''}${entry.note ? `: ${cell(entry.note)}` : ''}`;
  if (entry.fields.length === 0) return [row([entry.status, object, '', '', ''])];
  return entry.fields.map((field, i) => {
    const [before, after] = [field.before, field.after].map((v) =>
      v === undefined ? '' : code(truncate(formatValue(v))),
    );
    return row([i === 0 ? entry.status : '', i === 0 ? object : '', code(field.path || '(value)'), before, after]);
  });
}

function row(cells: readonly string[]): string {
  return `|${cells.map((c) => (c ? ` ${c} ` : ' ')).join('|')}|`;
}

/** Values longer than this are cut in Markdown, which is for reading in a pull request; the text report has them whole. */
const MAX_CELL = 300;

function truncate(text: string): string {
  return text.length <= MAX_CELL ? text : `${text.slice(0, MAX_CELL)}… (${text.length - MAX_CELL} more characters)`;
}

/** A code span that survives any backticks in `text`, inside a table cell. */
function code(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return cell(`${fence}${padded}${fence}`);
}

/** Text that stays in one table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
