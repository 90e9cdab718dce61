import { ManifestReadError, parseManifests, type SourcedManifest } from '../kube/manifest-reader';
import { objectKey } from '../kube/object-index';
import { apiGroupOf } from '../kube/object';

/** A part of dist/ that a diff reports on its own: one environment's Kubernetes objects, one Terraform stack... */
export interface DistSection {
  /** Identity of the section, and the folder (relative to dist/) that holds it. */
  readonly location: string;
  readonly title: string;
  /** Where the section comes in a report: Kubernetes, then Argo CD, then Terraform, then other files. */
  readonly rank: number;
}

/** Something a diff compares as a unit: a Kubernetes object, a Terraform block, or a whole file. */
export interface DistEntry {
  /** Identity within its section: entries with equal keys in two trees are two versions of one thing. */
  readonly key: string;
  /** How a reviewer names it, such as `VirtualService bookinfo/reviews`. */
  readonly name: string;
  /** The file that holds it, relative to dist/. */
  readonly file: string;
  /** What is compared field by field; `undefined` for a file compared by its bytes only. */
  readonly content: unknown;
}

/** How one file of dist/ is read: which section it belongs to and the entries it holds. */
export interface DistFileReader {
  readonly section: DistSection;
  /** The entries a file holds; absent for a file that is compared as a whole. */
  readonly read?: (text: string, file: string) => DistEntry[];
}

/** A dist/ file that cannot be read as what its place in dist/ says it is. */
export class DistReadError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DistReadError';
  }
}

/** The layout of dist/ (as pipeline/synthesize.ts writes it): which files hold Kubernetes objects or Terraform. */
export function readerOf(file: string): DistFileReader {
  let m = /^cdk8s\/([^/]+)\/[^/]+\.ya?ml$/.exec(file);
  if (m) {
    return {
      section: { location: `cdk8s/${m[1]}`, title: `Kubernetes objects of environment ${m[1]}`, rank: 0 },
      read: kubernetesEntries,
    };
  }
  if (/^argocd\/[^/]+\.ya?ml$/.test(file)) {
    return { section: { location: 'argocd', title: 'Argo CD applications', rank: 1 }, read: kubernetesEntries };
  }
  m = /^cdktf\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(file);
  if (m) {
    return {
      section: { location: `cdktf/stacks/${m[1]}`, title: `Terraform stack ${m[1]}`, rank: 2 },
      read: terraformEntries,
    };
  }
  return { section: OTHER_FILES, read: file.endsWith('.json') ? jsonFileEntry : undefined };
}

const OTHER_FILES: DistSection = { location: '.', title: 'Other files', rank: 3 };

/** Every object of a YAML stream (read by kube/'s reader), identified by API group, kind, namespace and name. */
function kubernetesEntries(text: string, file: string): DistEntry[] {
  let documents: SourcedManifest[];
  try {
    documents = parseManifests(text, file, { expandLists: false, requireKind: false });
  } catch (error) {
    if (error instanceof ManifestReadError) {
      const detail = error.message.slice(`${file}${error.line === undefined ? '' : `:${error.line}`}: `.length);
      throw new DistReadError(file, `${detail}${error.line === undefined ? '' : ` (line ${error.line})`}`);
    }
    throw error;
  }
  return documents.map(({ manifest, document }) => {
    const { apiVersion, kind, metadata } = manifest as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    };
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata?.name !== 'string') {
      throw new DistReadError(
        file,
        `document ${document} is not a Kubernetes object with apiVersion, kind and metadata.name`,
      );
    }
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    return {
      key: [apiGroupOf(apiVersion), kind, namespace ?? '', metadata.name].join(' '),
      name: objectKey(kind, namespace, metadata.name),
      file,
      content: manifest,
    };
  });
}

/**
 * The blocks of a CDKTF stack's JSON: each resource and data source by type and name, each output, variable, local
 * and module by name, each provider configuration (by alias), the backend, the other `terraform` settings, and
 * CDKTF's `//` metadata.
 */
function terraformEntries(text: string, file: string): DistEntry[] {
  const stack = parseJson(text, file);
  const entries: DistEntry[] = [];
  const add = (key: string, content: unknown) => entries.push({ key, name: key, file, content });
  for (const [block, body] of Object.entries(stack)) {
    if (block === 'resource' || block === 'data') {
      for (const [type, byName] of objectEntries(body)) {
        for (const [name, config] of objectEntries(byName)) add(`${block} ${type}.${name}`, config);
      }
    } else if (block === 'provider') {
      for (const [name, configs] of objectEntries(body)) {
        for (const config of Array.isArray(configs) ? configs : [configs]) {
          const alias = (config as { alias?: unknown })?.alias;
          add(`provider ${name}${typeof alias === 'string' ? `.${alias}` : ''}`, config);
        }
      }
    } else if (block === 'terraform') {
      for (const [setting, value] of objectEntries(body)) {
        if (setting === 'backend') for (const [type, config] of objectEntries(value)) add(`backend ${type}`, config);
        else add(`terraform ${setting}`, value);
      }
    } else if (['output', 'variable', 'locals', 'module'].includes(block)) {
      for (const [name, value] of objectEntries(body)) add(`${block} ${name}`, value);
    } else if (block === '//') {
      add('cdktf metadata (//)', body);
    } else {
      add(block, body);
    }
  }
  return entries;
}

/** A JSON file outside the layout above: one entry, compared field by field. */
function jsonFileEntry(text: string, file: string): DistEntry[] {
  return [{ key: file, name: file, file, content: parseJson(text, file) }];
}

function parseJson(text: string, file: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DistReadError(file, `is not valid JSON: ${(error as Error).message}`);
  }
}

function objectEntries(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}
