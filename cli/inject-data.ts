// `npm run inject-data -- --istio-src DIR`: regenerates the injector's data of the release it reproduces, both
// committed: inject/istio-<release>-values.json, the istiod chart's default values (from ../shared/reference), and
// inject/istio-<release>-templates.json, the chart's gateway, grpc-agent and grpc-simple injection templates, read
// from DIR, the istio.io/istio Go module of the release's branch, e.g. the folder that
//   go mod download -json istio.io/istio@v0.0.0-20260826214018-9739e10eb9d7
// prints (the Go module proxy serves no module at Istio's release tags).
// test/inject checks the values are current where ../shared is present.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';
import {
  CHART_TEMPLATES,
  RELEASE_DEFAULTS_FILE,
  RELEASE_TEMPLATES_FILE,
  VALUES_SOURCE,
  releaseDefaultsFromChart,
} from '../inject/release-defaults';
import { runCommand } from './command';

const HELP = `usage: npm run inject-data [-- --istio-src DIR]

Regenerates the injector's data: ${RELEASE_DEFAULTS_FILE} from ${VALUES_SOURCE}, and, with --istio-src DIR (an Istio
source tree of the release), ${RELEASE_TEMPLATES_FILE} from the istiod chart's injection templates.

  --istio-src DIR   the Istio source tree to read the templates from
  -h, --help        show this help
`;

runCommand({
  help: HELP,
  options: { 'istio-src': { type: 'string' } },
  run: (values) => {
    const chartValues = fs.readFileSync(path.join(PROJECT_ROOT, VALUES_SOURCE), 'utf8');
    fs.writeFileSync(
      path.join(PROJECT_ROOT, RELEASE_DEFAULTS_FILE),
      `${JSON.stringify(releaseDefaultsFromChart(chartValues), null, 1)}\n`,
    );
    process.stdout.write(`Wrote ${RELEASE_DEFAULTS_FILE} from ${VALUES_SOURCE}\n`);
    const source = values['istio-src'];
    if (source === undefined) {
      process.stdout.write(`Left ${RELEASE_TEMPLATES_FILE} as it is: give --istio-src DIR to regenerate it\n`);
      return;
    }
    const templates = Object.fromEntries(
      Object.entries(CHART_TEMPLATES).map(([name, file]) => [name, fs.readFileSync(path.join(source, file), 'utf8')]),
    );
    fs.writeFileSync(path.join(PROJECT_ROOT, RELEASE_TEMPLATES_FILE), `${JSON.stringify(templates, null, 1)}\n`);
    process.stdout.write(`Wrote ${RELEASE_TEMPLATES_FILE} from ${source}\n`);
  },
});
