import type { CapturedRequest } from '../state/model.js';

/** Headers that carry credentials; they are never kept in the state file or shown by the read-back routes. */
const sensitiveHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
]);

/**
 * What a sink keeps of a delivery. The path is kept without its query: a Workflows URL carries its
 * credential in `sig=`, so the query is treated like a secret.
 */
export function toCapturedRequest(receivedAt: Date, url: string, headers: Record<string, string>, body: string): CapturedRequest {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!sensitiveHeaders.has(lower)) kept[lower] = value;
  }
  return { receivedAt: receivedAt.toISOString(), path: new URL(url).pathname, headers: kept, body };
}
