/** A token endpoint answer's JSON object, or `{}` when the body is empty, not JSON or not an object (a proxy's HTML 503). */
export async function readTokenResponseBody(response: Response): Promise<Record<string, unknown>> {
  try {
    return parseTokenResponseBody(await response.text());
  } catch {
    return {};
  }
}

/** The same read of a body already in hand. */
export function parseTokenResponseBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
