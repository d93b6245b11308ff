/** A token endpoint answer's JSON object, or `{}` when the body is empty, not JSON or not an object (a proxy's HTML 503). */
export async function readTokenResponseBody(response: Response): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = await response.json();
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
