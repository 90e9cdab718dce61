import type { EnvironmentInput } from './schema';

/**
 * A placeholder so that synth works without a project; set HELLO_ISTIO_PROJECT_ID before deploying.
 */
export const PLACEHOLDER_PROJECT_ID = 'your-gcp-project-id';

/**
 * The environments that `npm run synth` writes to dist/, one folder (and set of stacks) each.
 * `projectId` here is the fallback; HELLO_ISTIO_PROJECT_ID overrides it for every environment.
 */
const DEFAULT: EnvironmentInput = {
  // The tutorial's values (`gcloud container clusters create hello-istio --zone us-central1-f --num-nodes 4`),
  // on what deploys today.
  name: 'default',
  projectId: PLACEHOLDER_PROJECT_ID,
  cluster: { name: 'hello-istio', location: 'us-central1-f', nodeCount: 4 },
  istio: { version: '1.30.3' },
  mesh: { mode: 'istio-helm' },
  namespace: 'bookinfo',
};

export const ENVIRONMENTS: readonly EnvironmentInput[] = [
  DEFAULT,
  {
    // The tutorial, literally: the default's cluster with the GKE Istio add-on and mutual TLS
    // (`--addons=Istio --istio-config=auth=MTLS_STRICT`). GKE no longer accepts the add-on, so this environment is for
    // reading and diffing, not for deploying: synth warns, and its `cdktf deploy` fails at the GKE API. It uses the
    // default's resource names (hello-istio).
    ...DEFAULT,
    name: 'tutorial',
    mesh: { mode: 'gke-istio-addon' },
  },
];
