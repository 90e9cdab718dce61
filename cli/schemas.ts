// `npm run schemas`: regenerates schemas/ (the project's copy of the Kubernetes and Istio schemas, and the validators
// compiled from them) from ../shared/reference. Like imports/, the output is committed and CI checks it is current.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ISTIO_SOURCE,
  KUBERNETES_SOURCE,
  istioCatalog,
  kubernetesCatalog,
  type CustomResourceDefinition,
} from '../validate/schema-catalog';
import { SCHEMAS_DIR, VALIDATORS_FILE } from '../validate/schema-validator';
import { generateValidatorModule } from '../validate/validator-module';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';

const HELP = `usage: npm run schemas   (or: node cli/run.mjs schemas)

Regenerates schemas/ (the Kubernetes 1.33 and Istio 1.30.3 schemas and the validators compiled from them) from
../shared/reference. The output is committed; CI checks that it is current.
`;

runCommand({
  help: HELP,
  options: {},
  run: () => {
    const read = (source: string) => fs.readFileSync(path.join(PROJECT_ROOT, source), 'utf8');
    const kubernetes = kubernetesCatalog(JSON.parse(read(KUBERNETES_SOURCE)).definitions);
    const crds = parseAllDocuments(read(ISTIO_SOURCE))
      .map((doc) => doc.toJS() as { kind?: string } | null)
      .filter((doc): doc is CustomResourceDefinition & { kind: string } => doc?.kind === 'CustomResourceDefinition');
    const istio = istioCatalog(crds);

    const dir = path.join(PROJECT_ROOT, SCHEMAS_DIR);
    fs.mkdirSync(dir, { recursive: true });
    const files = {
      'kubernetes-1.33.json': `${JSON.stringify(kubernetes, null, 1)}\n`,
      'istio-1.30.3.json': `${JSON.stringify(istio, null, 1)}\n`,
      [VALIDATORS_FILE]: generateValidatorModule([kubernetes, istio]),
    };
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
    process.stdout.write(
      `Wrote ${SCHEMAS_DIR}/: ${Object.keys(kubernetes.kinds).length} Kubernetes and ${Object.keys(istio.kinds).length} Istio kinds\n`,
    );
  },
});
