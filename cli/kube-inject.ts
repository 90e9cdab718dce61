// `npm run -s kube-inject -- -f FILE`: our `istioctl kube-inject` (cli/kube-inject-command.ts).
import { isMainThread, workerData } from 'node:worker_threads';
import { runCommand } from './command';
import { kubeInjectCommand } from './kube-inject-command';
import { runInjectionWorker, type InjectionWorkerData } from './kube-inject-workers';

// Started again as a worker thread (this bundle, __filename), it injects what a large input's reading sends it.
if (!isMainThread && (workerData as Partial<InjectionWorkerData> | undefined)?.kubeInjectWorker) {
  runInjectionWorker(workerData as InjectionWorkerData);
} else {
  runCommand(kubeInjectCommand({ script: __filename }));
}
