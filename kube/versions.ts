/**
 * Orders dotted release numbers: `1.29.6` before `1.30.5`, `v1.4.1` before `v1.5.1` (a leading `v` and anything after
 * the numbers, such as `-rc.0`, are ignored; a missing part counts as 0).
 */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => (/^v?(\d+(?:\.\d+)*)/.exec(v)?.[1] ?? '').split('.').map(Number));
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
