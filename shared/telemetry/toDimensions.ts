const id = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A kind such as `clientSecret`, `revoked` or `vigil-outbox-poison`: short words, nothing a token or secret looks like. */
const kind = /^[a-z][a-zA-Z-]{0,39}$/;
export const REDACTED = 'redacted';

/**
 * Metric dimensions as they leave Vigil: a value that is neither a kind nor an id is replaced, not echoed,
 * because telemetry must never carry a secret, a URL or free text, and must never stop the work it reports.
 */
export function toDimensions(dimensions: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(dimensions)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => [key, id.test(value) || kind.test(value) ? value : REDACTED]),
  );
}
