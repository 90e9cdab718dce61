import type { EnvironmentInput } from './schema';

/**
 * A placeholder so that synth works without a project; `npm run deploy` takes the real id from
 * HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT> and refuses to deploy the placeholder.
 */
export const PLACEHOLDER_PROJECT_ID = 'your-gcp-project-id';

/**
 * The environments that `npm run synth` writes to dist/, one folder (and set of stacks) each.
 * `projectId` here is what dist/ says; deploy and destroy replace it per environment (HELLO_ISTIO_PROJECT_ID_DEFAULT,
 * HELLO_ISTIO_PROJECT_ID_TUTORIAL, HELLO_ISTIO_PROJECT_ID_AMBIENT), never synth.
 */
const DEFAULT: EnvironmentInput = {
  // The tutorial's values (`gcloud container clusters create hello-istio --zone us-central1-f --num-nodes 4`),
  // on what deploys today.
  name: 'default',
  projectId: PLACEHOLDER_PROJECT_ID,
  cluster: { name: 'hello-istio', location: 'us-central1-f', nodeCount: 4 },
  istio: { version: '1.30.5', hub: 'docker.io/istio' },
  mesh: { mode: 'istio-helm' },
  namespace: 'bookinfo',
};

export const ENVIRONMENTS: readonly EnvironmentInput[] = [
  DEFAULT,
  {
    // The tutorial, literally: the default's cluster with the GKE Istio add-on and mutual TLS
    // (`--addons=Istio --istio-config=auth=MTLS_STRICT`). GKE no longer accepts the add-on, so this environment is for
    // reading and diffing, not for deploying: synth warns, and its plan fails on a precondition before anything is
    // created. Its resources have names of their own, so that it never collides with the default's.
    ...DEFAULT,
    name: 'tutorial',
    cluster: { ...DEFAULT.cluster, name: 'hello-istio-tutorial' },
    mesh: { mode: 'gke-istio-addon' },
  },
  {
    // The default on Istio's ambient data plane: ztunnel and the CNI node agent in ambient mode on every node, a
    // waypoint for each Bookinfo service whose routes or authorization need L7, and no sidecars. A cluster of its own,
    // so that it can run beside the default (the README walks through moving the default itself to ambient).
    ...DEFAULT,
    name: 'ambient',
    cluster: { ...DEFAULT.cluster, name: 'hello-istio-ambient' },
    mesh: { mode: 'istio-helm', dataplane: 'ambient' },
  },
];
