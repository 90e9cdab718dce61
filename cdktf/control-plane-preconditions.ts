import type { Construct } from 'constructs';
import { MESH_PROFILES, type Environment } from '../config';
import { PlanPreconditions } from './plan-preconditions';
import { GKE_ISTIO_ADDON_PRECONDITION, unreachableControlPlanePrecondition } from './platform';

/**
 * The checks every stack of an environment makes at plan time, before it creates anything:
 * - an environment with a mesh stack must be able to reach its control plane (Helm runs from outside the cluster):
 *   a private endpoint, or a public one that admits some network;
 * - the GKE Istio add-on, which GKE refuses, is never attempted.
 * The offline synth only warns about both; `cdktf deploy` stops on them.
 */
export function controlPlanePreconditions(scope: Construct, env: Environment): PlanPreconditions {
  return new PlanPreconditions(scope, 'preconditions', {
    facts: {
      mesh_mode: env.mesh.mode,
      mesh_stack: MESH_PROFILES[env.mesh.mode].installsGateway,
      private_endpoint: env.cluster.privateEndpoint,
      authorized_networks: env.cluster.masterAuthorizedNetworks.map((n) => n.cidrBlock),
    },
    checks: [
      {
        condition: (f) => `${f}.mesh_mode != "gke-istio-addon"`,
        errorMessage: GKE_ISTIO_ADDON_PRECONDITION,
      },
      {
        condition: (f) => `!${f}.mesh_stack || ${f}.private_endpoint || length(${f}.authorized_networks) > 0`,
        errorMessage: unreachableControlPlanePrecondition(env.name),
      },
    ],
  });
}
