import { GoTemplate } from '../../inject/go-template';
import { templateFuncs } from '../../inject/template-funcs';
import { containerNamed, deployment, envOf, inject, names, podOf, proxyOf } from './helpers';

const withTemplates = (templates: string, extra: Record<string, string> = {}) => {
  const obj = deployment('web');
  (obj.spec as any).template.metadata.annotations = { 'inject.istio.io/templates': templates, ...extra };
  return obj;
};

describe('the chart templates (inject.istio.io/templates)', () => {
  test('gateway: istio-proxy as the router, no init containers, unprivileged ports allowed', () => {
    const pod = podOf(inject(withTemplates('gateway')));
    expect(names(pod.spec.containers)).toEqual(['web', 'istio-proxy']);
    expect(pod.spec.initContainers ?? []).toEqual([]);
    expect(proxyOf(pod.spec).args?.slice(0, 2)).toEqual(['proxy', 'router']);
    expect(proxyOf(pod.spec).image).toBe('docker.io/istio/proxyv2:1.30.3');
    expect((pod.spec as any).securityContext.sysctls).toEqual([
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
    ]);
    expect(JSON.parse(pod.metadata.annotations?.['sidecar.istio.io/status'] ?? '').containers).toEqual(['istio-proxy']);
  });

  test('grpc-agent: the agent beside a proxyless gRPC app, which gets its bootstrap', () => {
    const pod = podOf(inject(withTemplates('grpc-agent')));
    const proxy = proxyOf(pod.spec);
    expect(proxy.args?.slice(0, 2)).toEqual(['proxy', 'sidecar']);
    expect(envOf(containerNamed(pod.spec.containers, 'web'), 'GRPC_XDS_BOOTSTRAP')?.value).toBe(
      '/etc/istio/proxy/grpc-bootstrap.json',
    );
  });

  test('grpc-simple: no proxy at all, a bootstrap init container', () => {
    const pod = podOf(inject(withTemplates('grpc-simple')));
    expect(names(pod.spec.containers)).toEqual(['web']);
    expect(names(pod.spec.initContainers)).toEqual(['grpc-bootstrap-init']);
  });

  test("the release's own templates (sidecarInjectorWebhook.templates), merged after the sidecar in order", () => {
    const extra = [
      'spec:',
      '  containers:',
      '  {{- range .Spec.Containers }}',
      '  - name: {{ .Name }}',
      '    env:',
      '    - name: INJECTED_FOR',
      '      value: {{ $.DeploymentMeta.Name | quote }}',
      '  {{- end }}',
    ].join('\n');
    const values = { sidecarInjectorWebhook: { templates: { extra } } };
    const pod = podOf(inject(withTemplates('sidecar,extra'), { values }));
    expect(envOf(containerNamed(pod.spec.containers, 'web'), 'INJECTED_FOR')?.value).toBe('web');
    expect(names(pod.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
  });

  test('sidecarInjectorWebhook.defaultTemplates picks the templates of pods that name none', () => {
    const pod = podOf(
      inject(deployment('web'), { values: { sidecarInjectorWebhook: { defaultTemplates: ['gateway'] } } }),
    );
    expect(proxyOf(pod.spec).args?.[1]).toBe('router');
  });
});

describe("the Go template engine, as Go's text/template renders", () => {
  const render = (text: string, data: unknown = {}) => new GoTemplate(text, templateFuncs()).render(data);

  test('trim markers, comments and pipelines', () => {
    expect(render('a  {{- /* note */ -}}  b {{ "x" | quote }}')).toBe('ab "x"');
    expect(render('{{ .a.b | default "none" }}', { a: {} })).toBe('none');
  });

  test('if / else if / else, with, range with variables', () => {
    const t = '{{ if eq .n 1 }}one{{ else if eq .n 2 }}two{{ else }}many{{ end }}';
    expect([1, 2, 3].map((n) => render(t, { n }))).toEqual(['one', 'two', 'many']);
    expect(render('{{ with .m }}{{ .k }}{{ else }}none{{ end }}', { m: { k: 'v' } })).toBe('v');
    expect(render('{{ range $i, $v := .l }}{{ $i }}={{ $v }} {{ end }}', { l: ['a', 'b'] })).toBe('0=a 1=b ');
    expect(render('{{ range $k, $v := .m }}{{ $k }}{{ end }}', { m: { b: 1, a: 2 } })).toBe('ab');
  });

  test('variables assigned in a loop, define and template', () => {
    expect(render('{{ $l := list }}{{ range .l }}{{ $l = append $l . }}{{ end }}{{ len $l }}', { l: [1, 2] })).toBe(
      '2',
    );
    expect(render('{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" .v }}', { v: 'y' })).toBe('[y]');
  });

  test('and/or return their deciding value; a missing map key prints <no value>', () => {
    expect(render('{{ or .a "b" }} {{ and 1 .c }}', { a: '', c: 'c' })).toBe('b c');
    expect(render('{{ .missing }}')).toBe('<no value>');
  });

  test('an unknown function or an unclosed block is an error', () => {
    expect(() => render('{{ nope 1 }}')).toThrow('function "nope" not defined');
    expect(() => render('{{ if true }}x')).toThrow('missing {{end}}');
  });
});
