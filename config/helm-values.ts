/** A chart's values (or a part of them). */
export type HelmValues = { readonly [key: string]: unknown };

/** Helm's merge of values maps, later ones over earlier ones: maps merge key by key, anything else is replaced. */
export function mergeValues(...layers: readonly HelmValues[]): Record<string, unknown> {
  const isMap = (v: unknown): v is HelmValues => typeof v === 'object' && v !== null && !Array.isArray(v);
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      const current = out[key];
      out[key] = isMap(value) && isMap(current) ? mergeValues(current, value) : value;
    }
  }
  return out;
}
