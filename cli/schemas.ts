// `npm run schemas`: regenerates schemas/ (the project's copy of the Kubernetes and Istio schemas, and the validators
// compiled from them) from ../shared/reference. Like imports/, the output is committed and CI checks it is current.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as os from 'node:os';
import {
  ISTIO_RELEASE_SOURCES,
  DEFAULT_ISTIO_SCHEMA_MINOR,
  KUBERNETES_SOURCE,
  istioCatalog,
  kubernetesCatalog,
  type CustomResourceDefinition,
  type SchemaCatalog,
} from '../validate/schema-catalog';
import { SCHEMAS_DIR, VALIDATORS_FILE } from '../validate/schema-validator';
import { generateValidatorModule } from '../validate/validator-module';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';

const HELP = `usage: npm run schemas   (or: node cli/run.mjs schemas)

Regenerates schemas/ (the Kubernetes 1.33 schemas, the Istio CRD schemas of 1.29.6, 1.30.3 and 1.31.0, and the
validators compiled from them) from ../shared/reference and, for 1.31.0, the istio.io/istio module in the Go module
cache. The output is committed; CI checks that it is current.
`;

runCommand({
  help: HELP,
  options: {},
  run: () => {
    // sources are relative to the project, or to the home folder (`~/`: the Go module cache)
    const location = (source: string) =>
      source.startsWith('~/') ? path.join(os.homedir(), source.slice(2)) : path.join(PROJECT_ROOT, source);
    const read = (source: string) => fs.readFileSync(location(source), 'utf8');
    const kubernetes = kubernetesCatalog(JSON.parse(read(KUBERNETES_SOURCE)).definitions);
    const dir = path.join(PROJECT_ROOT, SCHEMAS_DIR);
    const catalogs: Record<string, SchemaCatalog> = Object.fromEntries(
      Object.entries(ISTIO_RELEASE_SOURCES).map(([minor, { release, source }]) => {
        if (!fs.existsSync(location(source))) {
          // a release whose CRDs are not on this machine (1.31's live in the Go module cache): its committed catalog
          const committed = path.join(dir, `istio-${release}.json`);
          if (!fs.existsSync(committed))
            throw new Error(`${source} is missing, and so is ${SCHEMAS_DIR}/istio-${release}.json`);
          process.stdout.write(`Kept ${SCHEMAS_DIR}/istio-${release}.json: ${source} is not on this machine\n`);
          return [minor, JSON.parse(fs.readFileSync(committed, 'utf8')) as SchemaCatalog];
        }
        const crds = parseAllDocuments(read(source))
          .map((doc) => doc.toJS() as { kind?: string } | null)
          .filter(
            (doc): doc is CustomResourceDefinition & { kind: string } => doc?.kind === 'CustomResourceDefinition',
          );
        return [minor, istioCatalog(crds, minor)];
      }),
    );
    const istio = catalogs[DEFAULT_ISTIO_SCHEMA_MINOR];
    const others = Object.fromEntries(
      Object.entries(catalogs).filter(([minor]) => minor !== DEFAULT_ISTIO_SCHEMA_MINOR),
    );

    fs.mkdirSync(dir, { recursive: true });
    const files = {
      'kubernetes-1.33.json': `${JSON.stringify(kubernetes, null, 1)}\n`,
      ...Object.fromEntries(
        Object.entries(catalogs).map(([minor, catalog]) => [
          `istio-${ISTIO_RELEASE_SOURCES[minor].release}.json`,
          `${JSON.stringify(catalog, null, 1)}\n`,
        ]),
      ),
      [VALIDATORS_FILE]: generateValidatorModule([kubernetes, istio], others),
    };
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
    process.stdout.write(
      `Wrote ${SCHEMAS_DIR}/: ${Object.keys(kubernetes.kinds).length} Kubernetes and ${Object.keys(istio.kinds).length} Istio kinds\n`,
    );
  },
});
