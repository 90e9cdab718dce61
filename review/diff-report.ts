import { countChanges, type DistDiff, type EntryChange, type SectionChanges } from './dist-diff';
import { formatValue, type FieldChange } from './field-changes';

/** Options of both report formats. */
export interface DiffReportOptions {
  /** How the compared dist/ folder is named in the report. @default 'dist' */
  readonly dist?: string;
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** The diff as plain text for a terminal: one line per object, then one per changed field, indented. */
export function formatText(diff: DistDiff, options: DiffReportOptions = {}): string {
  const dist = options.dist ?? 'dist';
  if (diff.sections.length === 0) return `No changes: ${dist}/ is what the sources synthesize.\n`;
  const lines = [`A fresh synth differs from ${dist}/: ${summary(diff)}.`];
  for (const section of diff.sections) {
    lines.push('', `${section.title} (${location(dist, section)})`);
    for (const entry of section.entries) {
      const file = fileWithin(section, entry);
      lines.push(`  ${MARK[entry.status]} ${entry.name}${file ? `  (${file})` : ''}${entry.note ? `: ${entry.note}` : ''}`);
      for (const field of entry.fields) lines.push(`      ${fieldLine(field)}`);
    }
  }
  lines.push('', `\`npm run synth\` writes these changes into ${dist}/; commit them with the change that caused them.`);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown for a pull request comment or a job summary: a table per section. */
export function formatMarkdown(diff: DistDiff, options: DiffReportOptions = {}): string {
  const dist = options.dist ?? 'dist';
  if (diff.sections.length === 0) {
    return `### Synth diff: no changes\n\n${code(`${dist}/`)} is what the sources synthesize.\n`;
  }
  const out = [`### Synth diff: ${summary(diff)}`, '', `What a fresh synth changes in ${code(`${dist}/`)}.`];
  for (const section of diff.sections) {
    out.push('', `#### ${section.title} (${code(location(dist, section))})`, '');
    out.push(row(['Change', 'Object', 'Field', 'Before', 'After']), row(['---', '---', '---', '---', '---']));
    for (const entry of section.entries) out.push(...markdownRows(section, entry));
  }
  return `${out.join('\n')}\n`;
}

function summary(diff: DistDiff): string {
  const counts = countChanges(diff);
  return `${counts.added} added, ${counts.removed} removed, ${counts.changed} changed`;
}

function location(dist: string, section: SectionChanges): string {
  return section.location === '.' ? `${dist}/` : `${dist}/${section.location}`;
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
    const [before, after] = [field.before, field.after].map((v) => (v === undefined ? '' : code(truncate(formatValue(v)))));
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
