import { messageCodes, parseTestGrid } from '../../cli/analyze-grid';

// The grid reader reads upstream's Go table at run time; here it reads a table of our own in that shape.

const GO = `package analyzers

import (
	"istio.io/istio/pkg/config/analysis/analyzers/gateway"
	schemaValidation "istio.io/istio/pkg/config/analysis/analyzers/schema"
)

var testGrid = []testCase{
	{
		name: "first {with braces}",
		inputFiles: []string{
			"testdata/a.yaml", // a comment with "quotes" and {braces}
			"testdata/b.yaml",
		},
		meshConfigFile: "testdata/mesh.yaml",
		analyzer: &gateway.SecretAnalyzer{},
		expected: []message{
			{msg.ReferencedResourceNotFound, "Gateway ns/gw"},
			// {msg.Commented, "Out"},
			{msg.InvalidGatewayCredential, "Gateway gw"},
		},
	},
	{
		name:       "second",
		inputFiles: []string{"testdata/c.yaml"},
		analyzer:   schemaValidation.CollectionValidationAnalyzer(collections.VirtualService),
		expected:   []message{},
		skipAll:    true,
	},
}
`;

test('cases, files, mesh config, analyzer (by package folder) and expected messages are read', () => {
  expect(parseTestGrid(GO)).toEqual([
    {
      name: 'first {with braces}',
      inputFiles: ['testdata/a.yaml', 'testdata/b.yaml'],
      meshConfigFile: 'testdata/mesh.yaml',
      meshNetworksFile: undefined,
      analyzer: 'gateway.SecretAnalyzer',
      expected: [
        { message: 'ReferencedResourceNotFound', resource: 'Gateway ns/gw' },
        { message: 'InvalidGatewayCredential', resource: 'Gateway gw' },
      ],
    },
    {
      name: 'second',
      inputFiles: ['testdata/c.yaml'],
      meshConfigFile: undefined,
      meshNetworksFile: undefined,
      analyzer: 'schema.CollectionValidationAnalyzer',
      expected: [],
    },
  ]);
});

test('a file without the table is refused', () => {
  expect(() => parseTestGrid('package x\n')).toThrow('no `var testGrid = []testCase{`');
});

test('message names map to codes', () => {
  expect(messageCodes('messages:\n  - name: "A"\n    code: IST0001\n')).toEqual(new Map([['A', 'IST0001']]));
});
