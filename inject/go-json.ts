/**
 * JSON as Go's encoding/json writes it: like JSON.stringify, but with <, >, & and the JavaScript line separators
 * escaped. Istio writes its annotations and env values this way, so ours match byte for byte.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
