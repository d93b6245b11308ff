const id = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A kind such as `clientSecret`, `revoked` or `vigil-outbox-poison`: short words, nothing a token or secret looks like. */
const kind = /^[a-z][a-zA-Z-]{0,39}$/;
/**
 * An HTTP route's template (`connections/{name}/sign-in-link`, `openapi.json`): lower-case words and
 * `{parameter}` placeholders, never a value, so no digit, capital or query can pass.
 */
const routeTemplate = /^(?:[a-z][a-z.-]{0,39}|\{[a-z][a-zA-Z]{0,19}\})(?:\/(?:[a-z][a-z.-]{0,39}|\{[a-z][a-zA-Z]{0,19}\})){0,5}$/;
export const REDACTED = 'redacted';

/**
 * Metric dimensions as they leave Vigil: a value that is neither a kind, an id nor a route template is replaced, not echoed,
 * because telemetry must never carry a secret, a URL or free text, and must never stop the work it reports.
 */
export function toDimensions(dimensions: Record<string, string | undefined>): Record<string, string> {
  // One pass, no intermediate arrays: it runs for every metric data point.
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(dimensions)) {
    if (value === undefined) continue;
    kept[key] = id.test(value) || kind.test(value) || (key === 'route' && routeTemplate.test(value)) ? value : REDACTED;
  }
  return kept;
}

/**
 * An event type, finding id or connection key (`kv.vault.azure.net/cerb-mailbox`): no query, no spaces,
 * and not a JSON Web Token (base64url of `{"`, which every Entra access or ID token starts with).
 */
const name = /^(?!eyJ)[a-z][\w.:/-]{0,159}$/i;
/** A vault or API URL without credentials, query or fragment. */
const plainUrl = /^https:\/\/[\w.-]+(:\d+)?(\/[\w.-]*)*$/;

/**
 * Properties of a structured log record: ids, kinds, event types, connection keys and plain URLs pass;
 * anything else (free text, a URL with a query, a token) is replaced, as for metric dimensions. Numbers
 * and booleans pass as they are.
 */
export function toLogProperties(
  properties: Record<string, string | number | boolean | undefined>,
): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined) continue;
    kept[key] = typeof value !== 'string' || id.test(value) || name.test(value) || plainUrl.test(value) ? value : REDACTED;
  }
  return kept;
}
