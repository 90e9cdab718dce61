// `npm run inject-data`: regenerates inject/istio-<release>-values.json, the istiod chart's default values that the
// injector starts from (as `istioctl kube-inject` reads them from the release's istio-sidecar-injector ConfigMap),
// from ../shared/reference. The output is committed; test/inject checks it is current where ../shared is present.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { releaseDefaultsFromChart, RELEASE_DEFAULTS_FILE, VALUES_SOURCE } from '../inject/release-defaults';
import { runCommand } from './command';

runCommand(() => {
  const chartValues = fs.readFileSync(path.join(PROJECT_ROOT, VALUES_SOURCE), 'utf8');
  const out = path.join(PROJECT_ROOT, RELEASE_DEFAULTS_FILE);
  fs.writeFileSync(out, `${JSON.stringify(releaseDefaultsFromChart(chartValues), null, 1)}\n`);
  process.stdout.write(`Wrote ${RELEASE_DEFAULTS_FILE} from ${VALUES_SOURCE}\n`);
});
