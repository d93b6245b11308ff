/** Marks an answer without a body; the listener takes the marker and the adapter's default content type off it. */
export const emptyBodyMarker = 'x-local-cloud-empty-body';

/**
 * An answer without a body and without a content type, as Azure sends its 202s and 204s (Graph sendMail
 * and removePassword, Key Vault purge, a Teams Workflow). Emulators build every empty answer here:
 * `@hono/node-server` would otherwise label it `text/plain`.
 */
export function emptyAnswer(status: 202 | 204, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...headers, [emptyBodyMarker]: '1' } });
}
