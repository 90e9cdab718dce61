// `npm run schemas`: regenerates schemas/ (the project's copy of the Kubernetes, Istio and Gateway API schemas, the
// validators compiled from them, and the Gateway API CRDs as the chart the mesh stack installs) from
// ../shared/reference. Like imports/, the output is committed and CI checks it is current.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { parseAllDocuments, stringify } from 'yaml';
import { gatewayApiChartDir, gatewayApiRelease } from '../config/gateway-api';
import {
  ISTIO_RELEASE_SOURCES,
  DEFAULT_ISTIO_SCHEMA_MINOR,
  KUBERNETES_SOURCE,
  crdCatalog,
  istioCatalog,
  kubernetesCatalog,
  type CustomResourceDefinition,
  type SchemaCatalog,
} from '../validate/schema-catalog';
import { SCHEMAS_DIR, VALIDATORS_FILE } from '../validate/schema-validator';
import { generateValidatorModule } from '../validate/validator-module';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { defineCommand } from './command';
import { keepOnUninstall } from './crd-chart';

/** The Gateway API release of the default schema release (ISTIO_SOURCE's). */
const GATEWAY_API_RELEASE = gatewayApiRelease(ISTIO_RELEASE_SOURCES[DEFAULT_ISTIO_SCHEMA_MINOR].release);
const GATEWAY_API_SOURCE = `../shared/reference/gateway-api-${GATEWAY_API_RELEASE.replace(/^v/, '')}/standard-install.yaml`;

const HELP = `usage: npm run schemas   (or: node cli/run.mjs schemas)

Regenerates schemas/ (the Kubernetes 1.33 schemas, the Istio CRD schemas of 1.29.6, 1.30.3 and 1.31.0, the Gateway
API ${GATEWAY_API_RELEASE} schemas, the validators compiled from them, and the Gateway API CRDs as a Helm chart for the
mesh stack) from ../shared/reference and, for 1.31.0, the istio.io/istio module in the Go module cache. The output is
committed; CI checks that it is current.
`;

/** `npm run schemas`, for cli/schemas.ts to run and tests to run in process (executeCommand). */
export const SCHEMAS_COMMAND = defineCommand({
  help: HELP,
  options: {},
  run: (_values, _positionals, io) => {
    // sources are relative to the project, or to the home folder (`~/`: the Go module cache)
    const location = (source: string) =>
      source.startsWith('~/') ? path.join(os.homedir(), source.slice(2)) : path.join(PROJECT_ROOT, source);
    const read = (source: string) => fs.readFileSync(location(source), 'utf8');
    const crdsOf = (text: string) =>
      parseAllDocuments(text)
        .map((doc) => doc.toJS() as { kind?: string } | null)
        .filter((doc): doc is CustomResourceDefinition & { kind: string } => doc?.kind === 'CustomResourceDefinition');
    const kubernetes = kubernetesCatalog(JSON.parse(read(KUBERNETES_SOURCE)).definitions);
    const dir = path.join(PROJECT_ROOT, SCHEMAS_DIR);
    const catalogs: Record<string, SchemaCatalog> = Object.fromEntries(
      Object.entries(ISTIO_RELEASE_SOURCES).map(([minor, { release, source }]) => {
        if (!fs.existsSync(location(source))) {
          // a release whose CRDs are not on this machine (1.31's live in the Go module cache): its committed catalog
          const committed = path.join(dir, `istio-${release}.json`);
          if (!fs.existsSync(committed))
            throw new Error(`${source} is missing, and so is ${SCHEMAS_DIR}/istio-${release}.json`);
          io.stdout(`Kept ${SCHEMAS_DIR}/istio-${release}.json: ${source} is not on this machine\n`);
          return [minor, JSON.parse(fs.readFileSync(committed, 'utf8')) as SchemaCatalog];
        }
        return [minor, istioCatalog(crdsOf(read(source)), minor)];
      }),
    );
    const istio = catalogs[DEFAULT_ISTIO_SCHEMA_MINOR];
    const others = Object.fromEntries(
      Object.entries(catalogs).filter(([minor]) => minor !== DEFAULT_ISTIO_SCHEMA_MINOR),
    );
    const gatewayApiCrds = read(GATEWAY_API_SOURCE);
    const gatewayApi = crdCatalog('gateway-api', GATEWAY_API_SOURCE, crdsOf(gatewayApiCrds));

    const chart = path.join(PROJECT_ROOT, gatewayApiChartDir(GATEWAY_API_RELEASE));
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    const files = {
      [path.join(dir, 'kubernetes-1.33.json')]: `${JSON.stringify(kubernetes, null, 1)}\n`,
      ...Object.fromEntries(
        Object.entries(catalogs).map(([minor, catalog]) => [
          path.join(dir, `istio-${ISTIO_RELEASE_SOURCES[minor].release}.json`),
          `${JSON.stringify(catalog, null, 1)}\n`,
        ]),
      ),
      [path.join(dir, `gateway-api-${GATEWAY_API_RELEASE}.json`)]: `${JSON.stringify(gatewayApi, null, 1)}\n`,
      [path.join(dir, VALIDATORS_FILE)]: generateValidatorModule([kubernetes, istio, gatewayApi], others),
      // The CRDs as the one template of a chart (templates are upgraded, a chart's crds/ folder never is); Helm
      // renders them unchanged, as they hold no template actions. Each is marked to be kept when the release is
      // uninstalled, as Istio's base chart marks its own: deleting a CRD deletes every object of its kind.
      [path.join(chart, 'Chart.yaml')]: stringify({
        apiVersion: 'v2',
        name: 'gateway-api-crds',
        description: `The Kubernetes Gateway API ${GATEWAY_API_RELEASE} standard channel CRDs (standard-install.yaml)`,
        type: 'application',
        version: GATEWAY_API_RELEASE.replace(/^v/, ''),
        appVersion: GATEWAY_API_RELEASE,
      }),
      [path.join(chart, 'templates', 'standard-install.yaml')]: keepOnUninstall(gatewayApiCrds),
    };
    // each file written beside and renamed over the old one, never in place: a file is whole or as it was, and a
    // copy of the project that hard-links schemas/ (the tests' copyProject) is left alone
    for (const [file, content] of Object.entries(files)) {
      fs.writeFileSync(`${file}.${process.pid}`, content);
      fs.renameSync(`${file}.${process.pid}`, file);
    }
    io.stdout(
      `Wrote ${SCHEMAS_DIR}/: ${Object.keys(kubernetes.kinds).length} Kubernetes, ${Object.keys(istio.kinds).length} Istio ` +
        `and ${Object.keys(gatewayApi.kinds).length} Gateway API kinds; the Gateway API ${GATEWAY_API_RELEASE} CRD chart\n`,
    );
  },
});
