// `npm run schemas`: regenerates schemas/ (the project's copy of the Kubernetes, Istio and Gateway API schemas, the
// validators compiled from them, and the Gateway API CRDs as the chart the mesh stack installs) from
// ../shared/reference. Like imports/, the output is committed and CI checks it is current.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { gatewayApiChartDir, gatewayApiRelease } from '../config/gateway-api';
import {
  ISTIO_SOURCE,
  KUBERNETES_SOURCE,
  crdCatalog,
  istioCatalog,
  kubernetesCatalog,
  type CustomResourceDefinition,
} from '../validate/schema-catalog';
import { SCHEMAS_DIR, VALIDATORS_FILE } from '../validate/schema-validator';
import { generateValidatorModule } from '../validate/validator-module';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';

/** The Istio release the schemas are for (ISTIO_SOURCE's), and so the Gateway API release it reads. */
const ISTIO_RELEASE = '1.30.3';
const GATEWAY_API_RELEASE = gatewayApiRelease(ISTIO_RELEASE);
const GATEWAY_API_SOURCE = `../shared/reference/gateway-api-${GATEWAY_API_RELEASE.replace(/^v/, '')}/standard-install.yaml`;

const HELP = `usage: npm run schemas   (or: node cli/run.mjs schemas)

Regenerates schemas/ (the Kubernetes 1.33, Istio ${ISTIO_RELEASE} and Gateway API ${GATEWAY_API_RELEASE} schemas, the
validators compiled from them, and the Gateway API CRDs as a Helm chart for the mesh stack) from ../shared/reference.
The output is committed; CI checks that it is current.
`;

runCommand({
  help: HELP,
  options: {},
  run: () => {
    const read = (source: string) => fs.readFileSync(path.join(PROJECT_ROOT, source), 'utf8');
    const crdsOf = (text: string) =>
      parseAllDocuments(text)
        .map((doc) => doc.toJS() as { kind?: string } | null)
        .filter((doc): doc is CustomResourceDefinition & { kind: string } => doc?.kind === 'CustomResourceDefinition');
    const kubernetes = kubernetesCatalog(JSON.parse(read(KUBERNETES_SOURCE)).definitions);
    const istio = istioCatalog(crdsOf(read(ISTIO_SOURCE)));
    const gatewayApiCrds = read(GATEWAY_API_SOURCE);
    const gatewayApi = crdCatalog('gateway-api', GATEWAY_API_SOURCE, crdsOf(gatewayApiCrds));

    const dir = path.join(PROJECT_ROOT, SCHEMAS_DIR);
    const chart = path.join(PROJECT_ROOT, gatewayApiChartDir(GATEWAY_API_RELEASE));
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    const files = {
      [path.join(dir, 'kubernetes-1.33.json')]: `${JSON.stringify(kubernetes, null, 1)}\n`,
      [path.join(dir, `istio-${ISTIO_RELEASE}.json`)]: `${JSON.stringify(istio, null, 1)}\n`,
      [path.join(dir, `gateway-api-${GATEWAY_API_RELEASE}.json`)]: `${JSON.stringify(gatewayApi, null, 1)}\n`,
      [path.join(dir, VALIDATORS_FILE)]: generateValidatorModule([kubernetes, istio, gatewayApi]),
      // The CRDs as the one template of a chart (templates are upgraded, a chart's crds/ folder never is); Helm
      // renders them unchanged, as they hold no template actions.
      [path.join(chart, 'Chart.yaml')]: stringify({
        apiVersion: 'v2',
        name: 'gateway-api-crds',
        description: `The Kubernetes Gateway API ${GATEWAY_API_RELEASE} standard channel CRDs (standard-install.yaml)`,
        type: 'application',
        version: GATEWAY_API_RELEASE.replace(/^v/, ''),
        appVersion: GATEWAY_API_RELEASE,
      }),
      [path.join(chart, 'templates', 'standard-install.yaml')]: gatewayApiCrds,
    };
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(file, content);
    process.stdout.write(
      `Wrote ${SCHEMAS_DIR}/: ${Object.keys(kubernetes.kinds).length} Kubernetes, ${Object.keys(istio.kinds).length} Istio ` +
        `and ${Object.keys(gatewayApi.kinds).length} Gateway API kinds; the Gateway API ${GATEWAY_API_RELEASE} CRD chart\n`,
    );
  },
});
