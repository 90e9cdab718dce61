/**
 * The summary of a `npm run diff` text report: its first line, the section headings and the changed objects,
 * without the field lines (what the README's upgrade walkthrough shows of each pull request).
 */
export function diffSummary(report: string): string {
  return report
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('      ') && !line.startsWith('`npm run synth`'))
    .join('\n');
}
