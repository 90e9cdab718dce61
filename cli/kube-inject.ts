// `npm run -s kube-inject -- -f FILE`: our `istioctl kube-inject` (Istio 1.30.3, default values and mesh config).
import { isMainThread, workerData } from 'node:worker_threads';
import { runCommand } from './command';
import { KUBE_INJECT_HELP, KUBE_INJECT_OPTIONS, runKubeInject } from './kube-inject-command';
import { runInjectionWorker, type InjectionWorkerData } from './kube-inject-workers';

// Started again as a worker thread (this bundle, __filename), it injects what a large input's reading sends it.
if (!isMainThread && (workerData as Partial<InjectionWorkerData> | undefined)?.kubeInjectWorker) {
  runInjectionWorker(workerData as InjectionWorkerData);
} else {
  runCommand({
    help: KUBE_INJECT_HELP,
    options: KUBE_INJECT_OPTIONS,
    run: (_values, _positionals, io) => runKubeInject(process.argv.slice(2), io, { script: __filename }),
  });
}
