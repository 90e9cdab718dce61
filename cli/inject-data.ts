// `npm run inject-data -- --minor MINOR [--istio-src DIR]`: regenerates the injector's data of one minor, both
// committed: inject/istio-<minor>-values.json, the istiod chart's default values, and inject/istio-<minor>-templates.json,
// the chart's gateway, grpc-agent and grpc-simple injection templates. Values come from ../shared/reference where it
// holds the minor's release (1.29.6, 1.30.3), else from DIR's chart; templates from DIR, an Istio source tree of the
// release. The trees the committed data came from:
//   1.29: git -C <istio/istio mirror> archive 1.29.6 manifests/charts | tar -x -C /tmp/istio-1.29.6
//   1.30: the istio.io/istio Go module of the release-1.30 branch, istio.io/istio@v0.0.0-20260826214018-9739e10eb9d7
//   1.31: the istio.io/istio Go module at 1.31.0's commit, istio.io/istio@v0.0.0-20260827124520-eed52ebb66ad
// (`go mod download -json istio.io/istio@<version>` prints the folder; the Go module proxy serves no release tags).
// test/inject checks the values are current where ../shared is present.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { INJECTOR_MINORS, INJECTOR_RELEASES, type InjectorMinor } from '../inject/istio-defaults';
import {
  CHART_DIR,
  CHART_TEMPLATES,
  releaseDefaultsFile,
  releaseDefaultsFromChart,
  releaseTemplatesFile,
  valuesReference,
} from '../inject/release-defaults';
import { runCommand, UsageError } from './command';

const HELP = `usage: npm run inject-data -- --minor MINOR [--istio-src DIR]

Regenerates the injector's data of Istio MINOR (${INJECTOR_MINORS.join(', ')}): inject/istio-MINOR-values.json from
the istiod chart's values (../shared/reference's copy of the release, else DIR's), and, with --istio-src DIR (an Istio
source tree of the release), inject/istio-MINOR-templates.json from the chart's injection templates.

  --minor MINOR     the minor to regenerate (the data is of release ${Object.entries(INJECTOR_RELEASES)
    .map(([m, r]) => `${r} for ${m}`)
    .join(', ')})
  --istio-src DIR   the Istio source tree to read the templates (and, without a reference copy, the values) from
  -h, --help        show this help
`;

runCommand({
  help: HELP,
  options: { minor: { type: 'string' }, 'istio-src': { type: 'string' } },
  run: (values, _positionals, io) => {
    const minor = values.minor as InjectorMinor | undefined;
    if (minor === undefined || !INJECTOR_MINORS.includes(minor)) {
      throw new UsageError(`--minor must be one of ${INJECTOR_MINORS.join(', ')}, not ${JSON.stringify(minor)}`);
    }
    const source = values['istio-src'];
    const reference = path.join(PROJECT_ROOT, valuesReference(minor));
    const valuesFile = fs.existsSync(reference)
      ? reference
      : source !== undefined
        ? path.join(source, CHART_DIR, 'values.yaml')
        : undefined;
    if (valuesFile === undefined) throw new UsageError(`no ${valuesReference(minor)}: give --istio-src DIR`);
    const chartValues = releaseDefaultsFromChart(fs.readFileSync(valuesFile, 'utf8'), INJECTOR_RELEASES[minor]);
    fs.writeFileSync(path.join(PROJECT_ROOT, releaseDefaultsFile(minor)), `${JSON.stringify(chartValues, null, 1)}\n`);
    io.stdout(`Wrote ${releaseDefaultsFile(minor)} from ${valuesFile}\n`);
    if (source === undefined) {
      io.stdout(`Left ${releaseTemplatesFile(minor)} as it is: give --istio-src DIR to regenerate it\n`);
      return;
    }
    const templates = Object.fromEntries(
      Object.entries(CHART_TEMPLATES).map(([name, file]) => [name, fs.readFileSync(path.join(source, file), 'utf8')]),
    );
    fs.writeFileSync(path.join(PROJECT_ROOT, releaseTemplatesFile(minor)), `${JSON.stringify(templates, null, 1)}\n`);
    io.stdout(`Wrote ${releaseTemplatesFile(minor)} from ${source}\n`);
  },
});
