// The large input of the kube-inject and analyze benchmarks: Bookinfo's manifests (test/inject/fixtures/bookinfo.yaml,
// six Deployments, Services and ServiceAccounts) repeated under new names until the stream holds `objects` objects,
// about 500 bytes each, as one YAML stream.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';

export function bigStream(objects: number): string {
  const documents = fs
    .readFileSync(path.join(PROJECT_ROOT, 'test', 'inject', 'fixtures', 'bookinfo.yaml'), 'utf8')
    .split(/^---\n/m)
    .filter((doc) => /^kind: /m.test(doc));
  const parts: string[] = [];
  for (let copy = 0; parts.length < objects; copy++) {
    for (const doc of documents) {
      if (parts.length === objects) break;
      // a copy of its own: names (and the labels that select by them) get a suffix
      parts.push(
        doc.replace(/^(\s*(?:name|app|serviceAccountName|service|account): )([a-z][-a-z0-9]*)$/gm, `$1$2-${copy}`),
      );
    }
  }
  return parts.join('---\n');
}
