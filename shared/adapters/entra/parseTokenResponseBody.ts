/** A token endpoint answer's JSON object, or `{}` when the body is empty, not JSON or not an object (a proxy's HTML 503). */
export function parseTokenResponseBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
