import { newestPatch, SUPPORTED_ISTIO_VERSIONS } from '../../config/istio-releases';
import { kubeInjectCommand } from '../../cli/kube-inject-command';
import {
  containerNamed,
  envOf,
  fixture,
  fixtureText,
  inject,
  parseYamlStream,
  podOf,
  proxyOf,
  FIXTURES,
} from './helpers';
import { runInProcess } from '../helpers/in-process';
import { objectsOf } from '../helpers/manifests';
import { testEnvironment } from '../helpers/environments';
import { loadEnvironments } from '../../config';
import { testEnvironmentInput } from '../helpers/environments';
import type { KubeObject } from '../../kube/object';
import * as path from 'node:path';

const [hello] = fixture('hello.yaml');

/** The command in process; `error` is the message of a failed run, as printed after `error: `. */
const kubeInject = (args: string[]) => runInProcess(kubeInjectCommand(), args);

describe('kube-inject --istio-version', () => {
  // The expected file was written by this injector and checked against upstream 1.29.6's golden files with
  // `npm run kube-inject:grid -- --istio-src <git archive 1.29.6 pkg/kube/inject> --istio-version 1.29.6
  // --hub gcr.io/istio-testing`: the same cases agree as for 1.30.3 (69 of 72 default, 10 of 10 native off).
  test("1.29.6: Istio 1.29.6's sidecar for our hello Deployment", () => {
    const run = kubeInject(['-f', path.join(FIXTURES, 'hello.yaml'), '--istio-version', '1.29.6']);
    expect(run.error).toBeUndefined();
    expect(parseYamlStream(run.stdout)).toEqual(fixture('hello.native.1.29.6.injected.yaml'));
  });

  test('1.29.6 differs from 1.30.3 for this pod only in the proxy image tag (their templates differ in one variable)', () => {
    const retagged = fixtureText('hello.native.injected.yaml').replaceAll('proxyv2:1.30.3', 'proxyv2:1.29.6');
    expect(fixtureText('hello.native.1.29.6.injected.yaml')).toBe(retagged);
  });

  test.each(['1.28.3', '1.30.9', 'latest'])('%s is refused with what is allowed', (version) => {
    const run = kubeInject(['-f', path.join(FIXTURES, 'hello.yaml'), '--istio-version', version]);
    expect(run.error).toContain(`--istio-version "${version}": must be a released patch of a supported minor`);
    expect(run.error).toContain('1.29.6');
    expect(run.error).toContain('1.31.1');
    expect(run.stdout).toBe('');
  });

  test('every supported release injects, with its own tag', () => {
    for (const version of SUPPORTED_ISTIO_VERSIONS) {
      const pod = podOf(inject(hello, { istioVersion: version }));
      expect(proxyOf(pod.spec).image).toBe(`docker.io/istio/proxyv2:${version}`);
    }
  });
});

describe('the differences between the releases, each handled', () => {
  const otelMesh = {
    extensionProviders: [
      {
        name: 'otel',
        opentelemetry: { service: 'c.o', port: 4317, serviceAttributeEnrichment: 'OTEL_SEMANTIC_CONVENTIONS' },
      },
    ],
  };

  test('OTEL_RESOURCE_ATTRIBUTES: written from 1.30 on, not by 1.29', () => {
    const otel = (istioVersion: string) =>
      envOf(proxyOf(podOf(inject(hello, { istioVersion, meshConfig: otelMesh })).spec), 'OTEL_RESOURCE_ATTRIBUTES');
    expect(otel('1.29.6')).toBeUndefined();
    expect(otel('1.30.3')?.value).toContain('service.namespace=shop');
    expect(otel('1.31.1')?.value).toContain('service.namespace=shop');
  });

  test('canonical name: 1.31 trims "-", "_" and "." at both ends; before, one trailing "-"', () => {
    const named = (istioVersion: string) => {
      const obj = structuredClone(hello) as KubeObject & { spec: any };
      obj.spec.template.metadata.labels = { app: '_hello.-' };
      return podOf(inject(obj, { istioVersion })).metadata.labels!['service.istio.io/canonical-name'];
    };
    expect(named('1.30.5')).toBe('_hello.');
    expect(named('1.31.1')).toBe('hello');
  });

  test("the init container's image: 1.31 takes global.proxy_init.image, before it took the proxy's", () => {
    const values = { global: { proxy: { image: 'proxyv2' }, proxy_init: { image: 'proxy-init' } } };
    const init = (istioVersion: string) =>
      containerNamed(podOf(inject(hello, { istioVersion, values })).spec.initContainers, 'istio-init').image;
    expect(init('1.30.5')).toBe('docker.io/istio/proxyv2:1.30.5');
    expect(init('1.31.1')).toBe('docker.io/istio/proxy-init:1.31.1');
  });

  test('1.31 annotates the secure metrics port the proxy serves', () => {
    const meshConfig = { defaultConfig: { proxyMetadata: { ENVOY_SECURE_MERGED_METRICS_PORT: '15091' } } };
    const annotations = (istioVersion: string) =>
      podOf(inject(hello, { istioVersion, meshConfig })).metadata.annotations ?? {};
    expect(annotations('1.31.1')['prometheus.istio.io/secure-port']).toBe('15091');
    expect(annotations('1.30.5')['prometheus.istio.io/secure-port']).toBeUndefined();
  });

  test("1.31's scrape targets are refused, not injected wrongly", () => {
    const obj = structuredClone(hello) as KubeObject & { spec: any };
    obj.spec.template.metadata.annotations = { 'prometheus.istio.io/scrape-targets': '[{"port":"8080"}]' };
    expect(() => inject(obj, { istioVersion: '1.31.1' })).toThrow(/scrape targets are not modelled/);
    expect(() => inject(obj, { istioVersion: '1.30.5' })).not.toThrow();
  });
});

describe('environments on other releases synthesize', () => {
  test.each(['1.29.6', newestPatch('1.31')])('an environment on %s: its sidecars are of that release', (version) => {
    const env = testEnvironment((input) => {
      input.istio = { ...input.istio, version };
    });
    const workloads = objectsOf(env).filter((m) => m.kind === 'Deployment');
    expect(workloads.length).toBeGreaterThan(0);
    for (const deployment of workloads) {
      const pod = podOf(deployment as KubeObject);
      expect(proxyOf(pod.spec).image).toBe(`docker.io/istio/proxyv2:${version}`);
    }
  });

  test('an unsupported release is a synth error naming the field, the value and what is allowed', () => {
    const input = testEnvironmentInput((e) => {
      e.istio = { ...e.istio, version: '1.28.2' };
    });
    expect(() => loadEnvironments([input])).toThrow(
      /istio\.version.*Istio 1\.28 is not supported.*1\.29\.0.*1\.31\.1/s,
    );
  });
});
