// `npm run -s kube-inject -- -f FILE`: our `istioctl kube-inject` (Istio 1.30.3, default values and mesh config).
import { runCommand } from './command';
import { KUBE_INJECT_HELP, KUBE_INJECT_OPTIONS, runKubeInject } from './kube-inject-command';

runCommand({
  help: KUBE_INJECT_HELP,
  options: KUBE_INJECT_OPTIONS,
  run: (_values, _positionals, io) => runKubeInject(process.argv.slice(2), io),
});
