import { yamlDocument } from '../kube/yaml-writer';
import type { SourcedManifest } from '../kube/manifest-reader';
import type { KubeObject } from '../kube/object';
import { InjectionError, SidecarInjector, type InjectionNotice } from './sidecar-injector';

/**
 * kube-inject on a YAML stream, as the `kube-inject` command runs it: every document in input order, workloads
 * injected and printed the way istioctl prints objects (keys sorted), everything else passed through as written.
 */

/** A document that cannot be injected, located by source, document and line. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export interface InjectedStream {
  /** The output YAML stream (documents separated by `---`). */
  readonly yaml: string;
  /** Workloads left without a sidecar, and why. */
  readonly notices: InjectionNotice[];
}

/**
 * Injects every workload of a stream read by the manifest reader (kube/manifest-reader.ts, with `expandLists` and
 * `requireKind` off, as istioctl passes such documents on). Throws ManifestError for a workload that cannot be
 * injected, naming its file, document and line; nothing is returned in that case.
 */
export function injectManifests(documents: readonly SourcedManifest[], injector: SidecarInjector): InjectedStream {
  const outputs: string[] = [];
  const notices: InjectionNotice[] = [];
  for (const document of documents) {
    const value = document.manifest;
    if (!SidecarInjector.handles(value)) {
      outputs.push(document.written);
      continue;
    }
    try {
      const result = injectedYaml(value, injector);
      notices.push(...result.notices);
      outputs.push(result.yaml);
    } catch (error) {
      if (error instanceof InjectionError) throw manifestError(document, error.message);
      throw error;
    }
  }
  return { yaml: outputs.join('---\n'), notices };
}

/**
 * One object the injector handles (SidecarInjector.handles), injected and written as istioctl prints it.
 * @throws InjectionError for an object that cannot be injected
 */
export function injectedYaml(value: unknown, injector: SidecarInjector): InjectedStream {
  const result = injector.inject(value as KubeObject);
  return { yaml: toYaml(result.object), notices: result.notices };
}

/** The error for a document that cannot be injected (`reason`: the InjectionError's message). */
export function manifestError(document: SourcedManifest, reason: string): ManifestError {
  return new ManifestError(`${document.file}: document ${document.document} (line ${document.line}): ${reason}`);
}

/** YAML of an object with its keys sorted at every level, as istioctl (Go) prints objects. */
export function toYaml(obj: unknown): string {
  return yamlDocument(obj, { version: '1.2', aliasDuplicateObjects: false, keepUndefined: false, sortKeys: true });
}
