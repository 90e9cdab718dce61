import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Container, EnvVar, KubeObject, PodSpec } from '../../kube/object';
import { SidecarInjector, type SidecarInjectorProps } from '../../inject/sidecar-injector';
import { podTemplateOf, type PodTemplate } from '../../kube/workload-kinds';

export const FIXTURES = path.join(__dirname, 'fixtures');

export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** The documents of a fixture file, as plain objects (empty documents left out). */
export function fixture(name: string): KubeObject[] {
  return parseYamlStream(fixtureText(name));
}

export function parseYamlStream(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter((d) => d !== null && d !== undefined);
}

/** Injects one object with the given settings and returns the result. */
export function inject(obj: KubeObject, props: SidecarInjectorProps = {}): KubeObject {
  return new SidecarInjector(props).inject(obj).object;
}

export function podOf(obj: KubeObject): PodTemplate {
  return podTemplateOf(obj);
}

export function containerNamed(list: Container[] | undefined, name: string): Container {
  const found = (list ?? []).find((c) => c.name === name);
  if (!found) throw new Error(`no container ${name} in [${(list ?? []).map((c) => c.name).join(', ')}]`);
  return found;
}

/** The istio-proxy container, wherever it is (containers or, native, initContainers). */
export function proxyOf(spec: PodSpec): Container {
  return containerNamed([...spec.containers, ...(spec.initContainers ?? [])], 'istio-proxy');
}

export function envOf(container: Container, name: string): EnvVar | undefined {
  return (container.env ?? []).find((e) => e.name === name);
}

export function names(list: { name: string }[] | undefined): string[] {
  return (list ?? []).map((item) => item.name);
}

/** A minimal Deployment named `name` with one container; `change` edits its pod template. */
export function deployment(
  name = 'web',
  template: { annotations?: Record<string, string>; labels?: Record<string, string>; spec?: Partial<PodSpec> } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, ...template.labels },
          ...(template.annotations ? { annotations: template.annotations } : {}),
        },
        spec: {
          containers: [{ name, image: `example.com/${name}:1.0`, ports: [{ containerPort: 8080 }] }],
          ...template.spec,
        },
      },
    },
  };
}
