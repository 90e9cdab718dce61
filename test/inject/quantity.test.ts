import { canonicalQuantity, QuantityError } from '../../inject/quantity';

// Expected values are Kubernetes' resource.Quantity String() for the same input.
test.each([
  ['100m', '100m'],
  ['2000m', '2'],
  ['4000m', '4'],
  ['1500m', '1500m'],
  ['0.5', '500m'],
  ['.25', '250m'],
  ['1', '1'],
  ['1000', '1k'],
  ['1e3', '1e3'],
  ['128Mi', '128Mi'],
  ['1024Mi', '1Gi'],
  ['0.5Gi', '512Mi'],
  ['1.5Gi', '1536Mi'],
  ['1.5Ki', '1536'],
  ['512', '512'],
  ['1000Mi', '1000Mi'],
  ['500M', '500M'],
  ['0.1m', '100u'],
  ['0.0000000001', '1n'], // rounded up to the smallest unit, as Kubernetes does
  ['0', '0'],
  ['-1', '-1'],
])('%s prints as %s', (input, expected) => {
  expect(canonicalQuantity(input)).toBe(expected);
});

test('numbers from YAML are quantities too', () => {
  expect(canonicalQuantity(2)).toBe('2');
  expect(canonicalQuantity(0.5)).toBe('500m');
});

test.each(['', 'abc', '1Gb', '1 Gi', '1.2.3', '10K', '5m\n'])('%j is not a quantity', (input) => {
  expect(() => canonicalQuantity(input)).toThrow(QuantityError);
});
