/**
 * Kubernetes resource quantities ("100m", "1Gi", "0.5"), parsed and printed the way the Go API types do.
 *
 * istioctl reads every object into Go structs and writes it back, so each quantity in its output is in canonical
 * form: `2000m` becomes `2`, `1024Mi` becomes `1Gi`, `0.5` becomes `500m`. This module reproduces that form so that
 * our output equals istioctl's, and rejects what `resource.ParseQuantity` rejects.
 */

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_EXPONENT = new Map([
  [0, ''],
  ...Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s] as const),
]);

/** Quantities are rounded up to this many decimal places (nano), like Kubernetes does. */
const NANO_SCALE = 9;

type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: the exact value `unscaled * 10^-scale`, and the notation it was written in. */
interface ParsedQuantity {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
}

/** A value that is not a Kubernetes quantity. */
export class QuantityError extends Error {
  constructor(value: string, reason: string) {
    super(
      `"${value}" is not a Kubernetes quantity (${reason}); use a number with an optional suffix such as 100m, 128Mi or 1Gi`,
    );
    this.name = 'QuantityError';
  }
}

/** Canonical forms of the quantities met so far: pods repeat the same few (`100m`, `128Mi`). */
const CANONICAL = new Map<string, string>();
const MAX_CANONICAL = 10_000;

/** The canonical form Kubernetes prints for a quantity written as `value` (a string, or a number from YAML). */
export function canonicalQuantity(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  let canonical = CANONICAL.get(text);
  if (canonical === undefined) {
    canonical = format(parseQuantity(text));
    if (CANONICAL.size >= MAX_CANONICAL) CANONICAL.clear();
    CANONICAL.set(text, canonical);
  }
  return canonical;
}

/** Throws QuantityError unless `value` parses as a Kubernetes quantity. */
export function parseQuantityOrThrow(value: string): void {
  parseQuantity(value);
}

function parseQuantity(text: string): ParsedQuantity {
  if (text.length === 0) throw new QuantityError(text, 'empty');
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\x00-\x1f\x7f]/.test(text)) throw new QuantityError(text, 'control characters');
  // sign, digits, optional fraction, then a suffix made of suffix letters and an optional signed exponent
  const match = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[+-]?\d*)$/.exec(text);
  if (!match) throw new QuantityError(text, 'unexpected characters');
  const [, sign, whole, fraction = '', suffix] = match;
  let base: 2 | 10;
  let exponent: number;
  let quantityFormat: QuantityFormat;
  if (suffix in DECIMAL_SUFFIXES) {
    [base, exponent, quantityFormat] = [10, DECIMAL_SUFFIXES[suffix], 'DecimalSI'];
  } else if (suffix in BINARY_SUFFIXES) {
    [base, exponent, quantityFormat] = [2, BINARY_SUFFIXES[suffix], 'BinarySI'];
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    [base, exponent, quantityFormat] = [10, Number(suffix.slice(1)), 'DecimalExponent'];
  } else {
    throw new QuantityError(text, `unknown suffix "${suffix}"`);
  }
  let unscaled = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length;
  if (base === 10) scale -= exponent;
  else unscaled *= 2n ** BigInt(exponent);
  // round away from zero to nano precision, as resource.ParseQuantity does
  if (scale > NANO_SCALE) {
    const divisor = 10n ** BigInt(scale - NANO_SCALE);
    unscaled = unscaled / divisor + (unscaled % divisor === 0n ? 0n : 1n);
    scale = NANO_SCALE;
  }
  if (sign === '-') unscaled = -unscaled;
  if (quantityFormat === 'BinarySI' && unscaled !== 0n && abs(unscaled) < 10n ** BigInt(Math.max(scale, 0))) {
    quantityFormat = 'DecimalSI'; // between -1 and 1 there is nothing binary to show
  }
  return { unscaled, scale, format: quantityFormat };
}

function format(q: ParsedQuantity): string {
  if (q.unscaled === 0n) return '0';
  if (q.format === 'BinarySI') {
    const integer = integerValue(q);
    // small or fractional binary quantities print in decimal notation, as Kubernetes does
    if (integer !== undefined && abs(integer) >= 1024n) {
      let mantissa = integer;
      let exponent = 0;
      while (mantissa % 1024n === 0n && BINARY_SUFFIX_BY_EXPONENT.has(exponent + 10)) {
        mantissa /= 1024n;
        exponent += 10;
      }
      return `${mantissa}${BINARY_SUFFIX_BY_EXPONENT.get(exponent)}`;
    }
  }
  let mantissa = q.unscaled;
  let exponent = -q.scale;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent -= 1;
  }
  if (q.format === 'DecimalExponent' || !DECIMAL_SUFFIX_BY_EXPONENT.has(exponent)) {
    return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  }
  return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent)}`;
}

function integerValue(q: ParsedQuantity): bigint | undefined {
  if (q.scale <= 0) return q.unscaled * 10n ** BigInt(-q.scale);
  const divisor = 10n ** BigInt(q.scale);
  return q.unscaled % divisor === 0n ? q.unscaled / divisor : undefined;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}
