import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { caseSettings, gridCases, runCase } from '../../bench/kube-inject-grid';
import { SidecarInjector } from '../../inject/sidecar-injector';
import { deployment } from './helpers';

// The measuring command reads upstream's table and golden files from a folder given at run time; here, a table and
// files of our own in upstream's layout check that it reads cases, their settings and the comparison right.
const TABLE = `
func TestInjection(t *testing.T) {
	cases := []testCase{
		{
			in:   "web.yaml",
			want: "web.status.injected",
			setFlags: []string{
				"values.global.proxy.statusPort=123",
				\`values.global.proxy.excludeIPRanges=10.0.0.0/8,10.1.0.0/16\`,
			},
		},
		{
			in:   "web.yaml",
			want: "web.tproxy.injected",
			mesh: func(m *meshapi.MeshConfig) {
				m.DefaultConfig.InterceptionMode = meshapi.ProxyConfig_TPROXY
			},
		},
		{
			in:            "bad.yaml",
			expectedError: "includeoutboundipranges",
		},
	}
	// the files not listed run with default settings
`;

describe('npm run kube-inject:grid', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-'));
  const web = deployment('web');
  const injected = (props = {}) => `${stringify(new SidecarInjector(props).inject(web).object)}`;
  const testValues = { global: { hub: 'registry.istio.io/testing', tag: 'latest' } };
  fs.writeFileSync(path.join(dir, 'web.yaml'), stringify(web));
  fs.writeFileSync(path.join(dir, 'other.yaml'), stringify(web));
  fs.writeFileSync(path.join(dir, 'other.yaml.injected'), injected({ values: testValues }));
  fs.writeFileSync(
    path.join(dir, 'bad.yaml'),
    stringify({
      ...web,
      spec: {
        ...(web.spec as object),
        template: {
          metadata: { annotations: { 'traffic.sidecar.istio.io/includeOutboundIPRanges': 'x' } },
          spec: (web.spec as any).template.spec,
        },
      },
    }),
  );
  const cases = gridCases(TABLE, fs.readdirSync(dir).sort());

  test("reads the table's cases and adds the other inputs with default settings", () => {
    expect(cases.map((c) => c.want || c.in)).toEqual([
      'web.status.injected',
      'web.tproxy.injected',
      'bad.yaml',
      'other.yaml.injected',
      'web.yaml.injected',
    ]);
    expect(caseSettings(cases[0], dir)).toEqual({
      values: {
        global: { ...testValues.global, proxy: { statusPort: 123, excludeIPRanges: '10.0.0.0/8,10.1.0.0/16' } },
      },
      meshConfig: undefined,
      nativeSidecars: undefined,
    });
    expect(caseSettings(cases[1], dir)).toMatchObject({
      meshConfig: { defaultConfig: { interceptionMode: 'TPROXY' } },
    });
  });

  test('counts an equal output, an expected error, and names the fields that differ', () => {
    const settings = caseSettings(cases[0], dir) as object;
    fs.writeFileSync(
      path.join(dir, 'web.status.injected'),
      injected(settings).replace('15090,15021,123', '15090,15021'),
    );
    expect(runCase(cases[3], dir)).toMatchObject({ group: 'default', outcome: 'equal' });
    expect(runCase(cases[2], dir)).toMatchObject({ group: 'error', outcome: 'equal' });
    const differing = runCase(cases[0], dir);
    expect(differing).toMatchObject({ group: 'settings', outcome: 'differing' });
    expect(differing.details).toEqual(['1:spec.template.spec.initContainers.0.args.16 (differs)']);
  });
});
