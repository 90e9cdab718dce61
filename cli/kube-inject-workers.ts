// kube-inject of a large input on worker threads: the command's thread reads the input (the one reader, in order)
// and writes the output; workers inject the workloads and write their YAML, a batch at a time. The command stays
// synchronous: it waits for results with Atomics.wait and takes them with receiveMessageOnPort.
import { availableParallelism } from 'node:os';
import { MessageChannel, parentPort, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { injectedYaml } from '../inject/manifest-stream';
import {
  InjectionError,
  SidecarInjector,
  type InjectionNotice,
  type SidecarInjectorProps,
} from '../inject/sidecar-injector';

/** Inputs smaller than this are injected on the command's thread: starting workers would cost more than they save. */
export const PARALLEL_FROM_BYTES = 2 << 20;
/** Workloads sent to a worker in one message (a message costs about as much as a small object's injection). */
const BATCH = 16;
/** Workloads sent and not yet back, at most (what the command holds in memory while it waits). */
const IN_FLIGHT = 256;
/** A batch takes milliseconds: workers silent for this long are taken as stuck (a script that is not a worker's). */
const SILENT_MS = 30_000;

/** What a worker is started with. */
export interface InjectionWorkerData {
  readonly kubeInjectWorker: true;
  readonly injector: SidecarInjectorProps;
  readonly results: MessagePort;
  /** [0]: results posted so far, [1 + i]: 1 once worker i has stopped. */
  readonly signals: Int32Array;
  readonly index: number;
}

/** One workload's outcome: its YAML and notices, the InjectionError's message, or any other failure. */
export type InjectionResult =
  | { readonly seq: number; readonly yaml: string; readonly notices: InjectionNotice[] }
  | { readonly seq: number; readonly refused: string }
  | { readonly seq: number; readonly failed: string };

/** Workers that inject workloads (numbered by the caller, `seq`) in the order each receives them. */
export class InjectionPool {
  private readonly workers: { worker: Worker; results: MessagePort; batch: { seq: number; manifest: unknown }[] }[];
  private readonly signals = new Int32Array(new SharedArrayBuffer(4 * 8));
  private inFlight = 0;
  private next = 0;

  /**
   * @param script the command's bundle, which runs runInjectionWorker when started as a worker
   * @param injector the injector's settings, as the command's own injector has them
   */
  constructor(script: string, injector: SidecarInjectorProps) {
    const count = Math.min(2, Math.max(1, availableParallelism()));
    this.workers = Array.from({ length: count }, (_, index) => {
      const { port1, port2 } = new MessageChannel();
      const workerData: InjectionWorkerData = {
        kubeInjectWorker: true,
        injector,
        results: port2,
        signals: this.signals,
        index,
      };
      const worker = new Worker(script, { workerData, transferList: [port2], stdout: false, stderr: false });
      worker.unref();
      return { worker, results: port1, batch: [] };
    });
  }

  /** Sends a workload (as the reader read it) to a worker; returns the results that came back meanwhile. */
  submit(seq: number, manifest: unknown): InjectionResult[] {
    const target = this.workers[this.next];
    target.batch.push({ seq, manifest });
    this.inFlight++;
    if (target.batch.length >= BATCH) {
      this.send(target);
      this.next = (this.next + 1) % this.workers.length;
    }
    return this.take(this.inFlight >= IN_FLIGHT);
  }

  /** Every result still to come (blocking until the last is back). */
  drain(): InjectionResult[] {
    const all: InjectionResult[] = [];
    while (this.inFlight > 0) all.push(...this.take(true));
    return all;
  }

  /** Stops the workers (without waiting for them). */
  close(): void {
    for (const { worker } of this.workers) void worker.terminate();
  }

  private send(target: (typeof this.workers)[number]): void {
    if (target.batch.length === 0) return;
    target.worker.postMessage(target.batch);
    target.batch = [];
  }

  /** The results that have come back; with `wait`, at least one (what is batched is sent first). */
  private take(wait: boolean): InjectionResult[] {
    if (wait) for (const target of this.workers) this.send(target);
    const since = Date.now();
    for (;;) {
      const posted = Atomics.load(this.signals, 0);
      const results: InjectionResult[] = [];
      for (const { results: port } of this.workers) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port))
          results.push(...(message.message as InjectionResult[]));
      }
      this.inFlight -= results.length;
      if (results.length > 0 || !wait || this.inFlight === 0) return results;
      if (this.workers.some((_, i) => Atomics.load(this.signals, 1 + i) === 1))
        throw new Error('kube-inject: a worker thread stopped before it had injected every workload');
      if (Date.now() - since > SILENT_MS)
        throw new Error(`kube-inject: no answer from the worker threads in ${SILENT_MS / 1000} s`);
      Atomics.wait(this.signals, 0, posted, 1000);
    }
  }
}

/** A worker's side: injects each batch it receives and posts the results back. */
export function runInjectionWorker(data: InjectionWorkerData): void {
  const injector = new SidecarInjector(data.injector);
  process.on('exit', () => {
    Atomics.store(data.signals, 1 + data.index, 1);
    Atomics.notify(data.signals, 0);
  });
  parentPort!.on('message', (batch: { seq: number; manifest: unknown }[]) => {
    const results = batch.map(({ seq, manifest }): InjectionResult => {
      try {
        return { seq, ...injectedYaml(manifest, injector) };
      } catch (error) {
        if (error instanceof InjectionError) return { seq, refused: error.message };
        return { seq, failed: error instanceof Error ? error.message : String(error) };
      }
    });
    data.results.postMessage(results);
    Atomics.add(data.signals, 0, 1);
    Atomics.notify(data.signals, 0);
  });
}
