// The `kube-inject` command: arguments, input and output around the injector (inject/).
// Kept light on purpose: it loads the injector, `yaml` and the config schema (for --env), not cdk8s or cdktf, so that
// a run stays well under half a second.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_PROXY_IMAGE, ISTIO_RELEASE } from '../inject/istio-defaults';
import { helmMerge } from '../inject/injection-settings';
import { injectManifests, manifestError } from '../inject/manifest-stream';
import { SidecarInjector, type InjectionNotice, type SidecarInjectorProps } from '../inject/sidecar-injector';
import { streamFile, streamManifests, type ReadOptions, type SourcedManifest } from '../kube/manifest-reader';
import { isJsonObject, type JsonObject } from '../kube/object';
import { UsageError, type Command, type CommandIO, type OptionValues } from './command';
import { loadEnvironments, sidecarInjection } from '../config';
import { SUPPORTED_ISTIO_MINORS, unsupportedIstioVersion } from '../config/istio-releases';
import { Progress } from './progress';
import { InjectionPool, PARALLEL_FROM_BYTES, type InjectionResult } from './kube-inject-workers';

/** kube-inject passes Lists and documents without a kind on, as istioctl does. */
const READ_OPTIONS: ReadOptions = { expandLists: false, requireKind: false };

export const KUBE_INJECT_HELP = `usage: npm run -s kube-inject -- -f FILE [-f FILE ...] [options]   (or: node cli/run.mjs kube-inject ...)

Writes the YAML of FILE (- for stdin) with the Istio sidecar injected into every workload, as
istioctl kube-inject of the control plane's Istio release (1.29, 1.30 or 1.31) would with its values and mesh config.

options:
  -f, --filename FILE           input file, or - for stdin (repeatable; documents keep their order)
  -o, --output FILE             write to FILE instead of stdout (nothing is written on error)
      --env NAME                inject as that environment's control plane does: its istiod values and mesh
                                config (CNI, native sidecars, revision, proxy image, mesh settings)
                                (default: Istio's defaults, as istioctl with a default install; said on stderr)
      --istio-version VERSION   the control plane's Istio release, any released patch of ${SUPPORTED_ISTIO_MINORS.join(', ')}
                                (default: --env's, else ${ISTIO_RELEASE})
      --valuesFile FILE         istiod Helm values (YAML or JSON), merged over --env's or the release's
      --meshConfigFile FILE     mesh config (YAML or JSON), merged over --env's or the release's
      --revision REVISION       control plane revision (istio.io/rev)
      --proxy-image IMAGE       istio-proxy image (default ${DEFAULT_PROXY_IMAGE})
      --native-sidecars=BOOL    istio-proxy as a native sidecar: true (default) or false
      --cni                     the cluster runs the Istio CNI plugin (istio-validation instead of istio-init)
  -h, --help                    show this help
`;

export const KUBE_INJECT_OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  env: { type: 'string' },
  'istio-version': { type: 'string' },
  valuesFile: { type: 'string' },
  meshConfigFile: { type: 'string' },
  revision: { type: 'string' },
  'proxy-image': { type: 'string' },
  'native-sidecars': { type: 'string' },
  cni: { type: 'boolean' },
} as const;

/** Worker threads for large inputs. */
export interface InjectionWorkers {
  /** A script that runs runInjectionWorker when started as a worker thread (the command's bundle). */
  readonly script: string;
  /**
   * Input files of this many bytes or more (together) are injected on worker threads.
   * @default PARALLEL_FROM_BYTES
   */
  readonly fromBytes?: number;
}

/** `npm run -s kube-inject`; given `workers`, a large input is injected on worker threads. */
export function kubeInjectCommand(workers?: InjectionWorkers): Command<typeof KUBE_INJECT_OPTIONS> {
  return {
    help: KUBE_INJECT_HELP,
    options: KUBE_INJECT_OPTIONS,
    run: (values, _positionals, io) => kubeInject(values, io, workers),
  };
}

/**
 * kube-inject with parsed options. Throws on bad input; in that case nothing has been written to stdout and no output
 * file exists (warnings may have gone to stderr). Given `workers`, a large input is injected on worker threads, with
 * the same output and errors.
 */
function kubeInject(values: OptionValues<typeof KUBE_INJECT_OPTIONS>, io: CommandIO, workers?: InjectionWorkers): void {
  const files = values.filename ?? [];
  if (files.length === 0) throw new UsageError('no input: give -f FILE (or -f - for stdin)');
  const native = values['native-sidecars'];
  if (native !== undefined && native !== 'true' && native !== 'false') {
    throw new Error(`--native-sidecars=${native}: must be true or false`);
  }
  const revision = values.revision;
  if (revision !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(revision)) {
    throw new Error(`--revision ${JSON.stringify(revision)}: must be a DNS label, such as canary or 1-30-3`);
  }
  const version = values['istio-version'];
  const unsupported = version === undefined ? undefined : unsupportedIstioVersion(version);
  if (unsupported) throw new Error(`--istio-version ${JSON.stringify(version)}: ${unsupported}`);
  let props: SidecarInjectorProps;
  if (values.env !== undefined) {
    props = environmentInjector(values.env);
    if (version !== undefined && version !== props.istioVersion) {
      throw new Error(
        `--istio-version ${version}: environment "${values.env}" runs Istio ${props.istioVersion}; ` +
          'give one of --env and --istio-version, or the same release',
      );
    }
  } else {
    props = { istioVersion: version };
    io.stderr(
      `note: no --env: injecting with Istio ${version ?? ISTIO_RELEASE}'s default values and mesh config (as istioctl ` +
        "with a default install), not an environment's settings; give --env NAME for one of ours\n",
    );
  }
  let chartValues: JsonObject = props.values ?? {};
  let meshConfig: JsonObject = props.meshConfig ?? {};
  if (values.valuesFile !== undefined) chartValues = helmMerge(chartValues, readSettingsFile(values.valuesFile));
  if (values.meshConfigFile !== undefined) meshConfig = helmMerge(meshConfig, readSettingsFile(values.meshConfigFile));
  const image = values['proxy-image'];
  if (image !== undefined) {
    chartValues = helmMerge(chartValues, { global: { proxy: { image }, proxy_init: { image } } });
  }
  if (values.cni) chartValues = helmMerge(chartValues, { pilot: { cni: { enabled: true } } });
  const injectorProps: SidecarInjectorProps = {
    istioVersion: props.istioVersion,
    values: chartValues,
    meshConfig,
    revision: revision ?? props.revision,
    nativeSidecars: native === undefined ? props.nativeSidecars : native === 'true',
  };
  const injector = new SidecarInjector(injectorProps);

  let bytes = 0;
  for (const file of files) if (file !== '-') bytes += checkReadable(file);
  // To a file: written as it goes, into a partial file renamed at the end (the file is complete or untouched). To
  // stdout: kept, compactly, until every document is injected, so that a failure writes nothing.
  const partial =
    values.output === undefined
      ? undefined
      : path.join(path.dirname(values.output), `.${path.basename(values.output)}.${process.pid}.partial`);
  const fd = partial === undefined ? undefined : fs.openSync(partial, 'w');
  const kept: Buffer[] = [];
  let pending = '';
  let documents = 0;
  const append = (yaml: string) => {
    pending += (documents++ === 0 ? '' : '---\n') + yaml;
    if (pending.length >= 1 << 20) flush();
  };
  const flush = () => {
    if (fd === undefined) kept.push(Buffer.from(pending));
    else fs.writeSync(fd, pending);
    pending = '';
  };
  const pool =
    workers !== undefined && bytes >= (workers.fromBytes ?? PARALLEL_FROM_BYTES)
      ? new InjectionPool(workers.script, injectorProps)
      : undefined;
  try {
    for (const file of files) {
      const source = file === '-' ? 'stdin' : file;
      const progress = new Progress('kube-inject', io.stderr);
      let done = 0;
      let total = 0;
      // the one reader of manifests (kube/), as analyze reads them, a document at a time from the file; each
      // document injected and written as it comes
      const read =
        file === '-'
          ? streamManifests([io.readStdin()], source, READ_OPTIONS)
          : streamFile(file, { ...READ_OPTIONS, onProgress: (_, d, t) => ((done = d), (total = t)) });
      const notices: InjectionNotice[] = [];
      let objects = 0;
      const report = () => progress.update(source, done, total, ++objects);
      if (pool) {
        injectInParallel(read, pool, append, notices, report);
      } else {
        for (const document of read) {
          const doc = injectManifests([document], injector);
          append(doc.yaml);
          notices.push(...doc.notices);
          report();
        }
      }
      for (const notice of notices) io.stderr(`warning: ${notice.object} is not injected: ${notice.reason}\n`);
    }
    flush();
  } catch (error) {
    if (fd !== undefined) {
      fs.closeSync(fd);
      fs.rmSync(partial!, { force: true });
    }
    throw error;
  } finally {
    pool?.close();
  }
  if (fd === undefined) {
    io.stdout(Buffer.concat(kept).toString());
  } else {
    fs.closeSync(fd);
    fs.renameSync(partial!, values.output!);
  }
}

/**
 * One file's documents, workloads injected on the pool's workers, written in input order. Fails as the sequential
 * loop would: at the first document (in input order) that cannot be injected, else with the reader's error.
 */
function injectInParallel(
  read: Iterable<SourcedManifest>,
  pool: InjectionPool,
  append: (yaml: string) => void,
  notices: InjectionNotice[],
  report: () => void,
): void {
  /** Outputs by document number, until every document before them is written. */
  const ready = new Map<number, { yaml: string; notices: InjectionNotice[] }>();
  /** Workloads at a worker, by document number (what an error names). */
  const sent = new Map<number, SourcedManifest>();
  /** Workloads that could not be injected: the InjectionError's message, or any other error. */
  const refused = new Map<number, string | Error>();
  let written = 0;
  const take = (results: InjectionResult[]) => {
    for (const result of results) {
      if ('failed' in result) refused.set(result.seq, new Error(result.failed));
      else if ('refused' in result) refused.set(result.seq, result.refused);
      else ready.set(result.seq, result);
    }
  };
  /** Throws for the first workload in input order that cannot be injected, once every one before it is back. */
  const throwRefusal = () => {
    if (refused.size === 0) return;
    take(pool.drain());
    const first = Math.min(...refused.keys());
    const reason = refused.get(first)!;
    throw reason instanceof Error ? reason : manifestError(sent.get(first)!, reason);
  };
  const writeReady = () => {
    for (let out = ready.get(written); out !== undefined; out = ready.get(written)) {
      append(out.yaml);
      notices.push(...out.notices);
      ready.delete(written);
      sent.delete(written++);
    }
  };
  const iterator = read[Symbol.iterator]();
  try {
    for (let seq = 0; ; seq++) {
      let next: IteratorResult<SourcedManifest>;
      try {
        next = iterator.next();
      } catch (error) {
        // the reader stops after the documents read so far: one of those that cannot be injected comes first
        take(pool.drain());
        throwRefusal();
        throw error;
      }
      if (next.done) break;
      const document = next.value;
      if (SidecarInjector.handles(document.manifest)) {
        sent.set(seq, document);
        take(pool.submit(seq, document.manifest));
      } else {
        ready.set(seq, { yaml: document.written, notices: [] });
      }
      throwRefusal();
      writeReady();
      report();
    }
    take(pool.drain());
    throwRefusal();
    writeReady();
  } finally {
    iterator.return?.();
  }
}

/** The injector settings of a configured environment. */
function environmentInjector(name: string): SidecarInjectorProps {
  const environments = loadEnvironments();
  const env = environments.find((e) => e.name === name);
  if (!env) {
    throw new Error(`--env ${name}: no such environment; configured: ${environments.map((e) => e.name).join(', ')}`);
  }
  return sidecarInjection(env).injector;
}

/** A values or mesh config file: a YAML or JSON map. */
function readSettingsFile(file: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = parse(readInput(file));
  } catch (error) {
    throw new Error(`${file}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isJsonObject(parsed)) throw new Error(`${file}: must be a map of settings`);
  return parsed;
}

/** Fails as readInput would on a file that cannot be read, before any output is started; returns its size. */
function checkReadable(file: string): number {
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    fs.accessSync(file, fs.constants.R_OK);
    return stat.size;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}
