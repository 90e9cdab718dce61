import { App, Chart } from 'cdk8s';
import type { Environment } from '../../config';
import { CHART_LABELS, KUBERNETES_OUTDIR } from '../kubernetes-app';
import type { Manifest } from '../../kube/object';
import { ArgoCdApplication } from './argocd-application';

/** The Argo CD Application of an environment, as plain objects: it deploys `dist/cdk8s/<environment>`. */
export function synthesizeArgoCd(env: Environment): Manifest[] {
  const app = new App();
  const chart = new Chart(app, 'argocd', { labels: CHART_LABELS });
  new ArgoCdApplication(chart, 'Application', {
    name: `hello-istio-${env.name}`,
    config: env.argocd,
    path: `${KUBERNETES_OUTDIR}/${env.name}`,
    destinationNamespace: env.namespace,
  });
  return chart.toJson() as Manifest[];
}
