import * as path from 'node:path';
import { goInstall, type Tool } from './tool';

/** Helm, to render Istio's charts as `helm install` does: the version Istio 1.30's go.mod builds with. */
export const HELM_VERSION = 'v3.21.0';
const HELM = 'helm.sh/helm/v3/cmd/helm';

export async function installHelm(cache: string): Promise<Tool> {
  const bindir = path.join(cache, 'helm', HELM_VERSION);
  const attempt = await goInstall('helm', HELM, HELM_VERSION, bindir, 'helm');
  const ok = attempt.outcome === 'installed' || attempt.outcome === 'cached';
  return {
    name: 'Helm',
    wanted: HELM_VERSION,
    ...(ok ? { path: path.join(bindir, 'helm'), version: HELM_VERSION, source: `${HELM}@${HELM_VERSION}` } : {}),
    attempts: [attempt],
  };
}
