import * as fs from 'node:fs';
import * as path from 'node:path';

const MERMAID_BLOCK = /```mermaid\n[\s\S]*?\n```\n/;

/** The README text with its Mermaid block replaced by the one of a diagram file's Markdown. */
export function withDiagram(readme: string, diagram: string): string {
  const block = diagram.match(MERMAID_BLOCK)?.[0];
  if (!block) throw new Error('the diagram has no ```mermaid block');
  if (!MERMAID_BLOCK.test(readme)) throw new Error('README.md has no ```mermaid block to replace');
  return readme.replace(MERMAID_BLOCK, () => block);
}

/**
 * Copies an environment's diagram from `<dist>/diagrams/<environment>.md` into the README's Mermaid block (part of
 * `npm run synth`), so that the README shows the mesh the configuration makes. A project without a README, or a README
 * without a Mermaid block, is left alone. Returns whether the README changed.
 */
export function updateReadmeDiagram(root: string, environment: string): boolean {
  const file = path.join(root, 'README.md');
  const readme = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (!MERMAID_BLOCK.test(readme)) return false;
  const updated = withDiagram(
    readme,
    fs.readFileSync(path.join(root, 'dist', 'diagrams', `${environment}.md`), 'utf8'),
  );
  if (updated !== readme) fs.writeFileSync(file, updated);
  return updated !== readme;
}
