// The `kube-inject` command: arguments, input and output around the injector (inject/).
// Kept light on purpose: it loads the injector and `yaml`, not cdk8s, cdktf or the config schema, so that a run
// stays well under half a second.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROXY_IMAGE } from '../inject/istio-defaults';
import { injectManifests } from '../inject/manifest-stream';
import { SidecarInjector } from '../inject/sidecar-injector';
import { parseManifests } from '../kube/manifest-reader';

/** Where the command reads and writes, so that tests can run it in process. */
export interface CommandIO {
  readStdin(): string;
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `usage: npm run -s kube-inject -- -f FILE [-f FILE ...] [options]

Writes the YAML of FILE (- for stdin) with the Istio sidecar injected into every workload, as
istioctl kube-inject of Istio 1.30.3 would with default values and mesh config.

options:
  -f, --filename FILE           input file, or - for stdin (repeatable; documents keep their order)
  -o, --output FILE             write to FILE instead of stdout (nothing is written on error)
      --revision REVISION       control plane revision (istio.io/rev)
      --proxy-image IMAGE       istio-proxy image (default ${DEFAULT_PROXY_IMAGE})
      --native-sidecars=BOOL    istio-proxy as a native sidecar: true (default) or false
      --cni                     the cluster runs the Istio CNI plugin (istio-validation instead of istio-init)
  -h, --help                    show this help
`;

/**
 * Runs `kube-inject` with command-line `args`. Throws on bad input; in that case nothing has been written to stdout
 * and no output file exists (warnings may have gone to stderr).
 */
export function runKubeInject(args: string[], io: CommandIO): void {
  const { values } = parseArgs({
    args,
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      output: { type: 'string', short: 'o' },
      revision: { type: 'string' },
      'proxy-image': { type: 'string' },
      'native-sidecars': { type: 'string' },
      cni: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(USAGE);
    return;
  }
  const files = values.filename ?? [];
  if (files.length === 0) throw new Error(`no input: give -f FILE (or -f - for stdin)\n${USAGE}`);
  const native = values['native-sidecars'];
  if (native !== undefined && native !== 'true' && native !== 'false') {
    throw new Error(`--native-sidecars=${native}: must be true or false`);
  }
  const revision = values.revision;
  if (revision !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(revision)) {
    throw new Error(`--revision ${JSON.stringify(revision)}: must be a DNS label, such as canary or 1-30-3`);
  }
  const injector = new SidecarInjector({
    proxyImage: values['proxy-image'],
    revision,
    nativeSidecars: native === undefined ? undefined : native === 'true',
    cni: values.cni,
  });

  const outputs: string[] = [];
  for (const file of files) {
    const text = file === '-' ? io.readStdin() : readInput(file);
    const documents = parseManifests(text, file === '-' ? 'stdin' : file, { expandLists: false, requireKind: false });
    const { yaml, notices } = injectManifests(documents, injector);
    for (const notice of notices) io.stderr(`warning: ${notice.object} is not injected: ${notice.reason}\n`);
    if (yaml !== '') outputs.push(yaml);
  }
  const result = outputs.join('---\n');
  if (values.output === undefined) {
    io.stdout(result);
  } else {
    // write next to the target, then rename: the output file is complete or untouched
    const partial = path.join(path.dirname(values.output), `.${path.basename(values.output)}.${process.pid}.partial`);
    fs.writeFileSync(partial, result);
    fs.renameSync(partial, values.output);
  }
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
