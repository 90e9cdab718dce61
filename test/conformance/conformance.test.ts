import { compareInjected } from '../../conformance/checks/injection';
import { formatReport } from '../../conformance/report';
import type { Manifest } from '../../kube/object';

// The tool-free parts of `npm run conformance`; the checks themselves need the tools and run in CI
// (`npm run conformance -- --self-test` plants each fault and shows it is caught).

const deployment = (proxyEnv: string, extra: Record<string, unknown> = {}): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', creationTimestamp: null as unknown as string },
  spec: {
    template: {
      metadata: {},
      spec: {
        containers: [
          { name: 'web', image: 'web:1', resources: {} },
          { name: 'istio-proxy', env: [{ name: 'X', value: proxyEnv }] },
        ],
      },
    },
    ...extra,
  },
  status: {},
});

test('injected workloads are compared as objects: Go zero values aside, every differing field is named', () => {
  expect(compareInjected([deployment('a')], [deployment('a', { strategy: {} })], 'here')).toEqual({
    compared: 1,
    differences: [],
  });
  expect(compareInjected([deployment('a')], [deployment('b')], 'here').differences).toEqual([
    'here: Deployment shop/web: spec.template.spec.containers[name=istio-proxy].env[name=X].value: ours "a", istiod\'s "b"',
  ]);
  expect(compareInjected([], [deployment('b')], 'here').differences).toEqual([
    'here: Deployment shop/web: istioctl wrote it, our output has no such object',
  ]);
});

test('the report says loudly what did not run and which tool is a stand-in', () => {
  const text = formatReport({
    tools: [
      {
        name: 'istioctl',
        wanted: '1.30.3',
        path: '/x',
        version: 'release-1.31',
        source: 'm@v0',
        standIn: 'NOT Istio 1.30.3',
        attempts: [],
      },
      {
        name: 'provider hashicorp/google',
        wanted: '6.50.0',
        attempts: [{ what: 'go mod download p@v6.50.0', outcome: 'refused', answer: '403 Forbidden' }],
      },
    ],
    checks: [
      {
        id: 'terraform',
        title: 'Terraform',
        status: 'not run',
        figure: 'NOT RUN: providers missing',
        failures: [],
        notes: [],
      },
    ],
    seconds: { install: 1, checks: 2 },
  });
  expect(text).toContain('| terraform | **NOT RUN** | NOT RUN: providers missing |');
  expect(text).toContain(
    '**provider hashicorp/google 6.50.0: could not be had.** Tried: `go mod download p@v6.50.0` (refused: 403 Forbidden)',
  );
  expect(text).toContain(
    '**istioctl 1.30.3 could not be had; a stand-in runs:** release-1.31 (m@v0): NOT Istio 1.30.3',
  );
});
