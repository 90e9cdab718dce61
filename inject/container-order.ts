import type { Container } from '../kube/object';
import { CORE_DUMP_CONTAINER, INIT_CONTAINER, PROXY_CONTAINER, VALIDATION_CONTAINER } from './pod-annotations';

/**
 * Where injected containers go (istio's reorderPod).
 *
 * Classic sidecar: istio-proxy is the last container, so `kubectl exec` and `logs` default to the app, or the first
 * when the app must wait for the proxy (holdApplicationUntilProxyStarts); istio-validation runs first and istio-init
 * last, so the app's init containers still have network before iptables redirects it.
 *
 * Native sidecar: istio-init (or istio-validation) then istio-proxy come first, so the app's init containers
 * already run in the mesh.
 */
export function orderContainers(
  containers: Container[],
  initContainers: Container[],
  holdApplication: boolean,
): { containers: Container[]; initContainers: Container[] } {
  const orderedContainers = move(containers, PROXY_CONTAINER, holdApplication ? 'first' : 'last');
  let init = initContainers;
  if (init.some((c) => c.name === PROXY_CONTAINER)) {
    for (const name of [CORE_DUMP_CONTAINER, PROXY_CONTAINER, VALIDATION_CONTAINER, INIT_CONTAINER]) {
      init = move(init, name, 'first');
    }
  } else {
    init = move(init, VALIDATION_CONTAINER, 'first');
    init = move(init, INIT_CONTAINER, 'last');
    init = move(init, CORE_DUMP_CONTAINER, 'last');
  }
  return { containers: orderedContainers, initContainers: init };
}

function move(list: Container[], name: string, where: 'first' | 'last'): Container[] {
  const match = list.find((c) => c.name === name);
  if (!match) return list;
  const rest = list.filter((c) => c !== match);
  return where === 'first' ? [match, ...rest] : [...rest, match];
}
