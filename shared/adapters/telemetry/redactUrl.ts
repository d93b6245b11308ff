/**
 * Hosts whose paths name only API resources (Graph objects, vault secrets, tables, queues, token
 * endpoints), so a dependency may keep its path. Any other host is a webhook or a Teams Workflow, whose
 * path or query *is* the secret (a Workflow URL's `sig=`, a Slack hook's path): only its origin is kept.
 */
const apiHost =
  /(^|\.)(graph\.microsoft\.(com|us)|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn|login\.microsoftonline\.(com|us)|login\.partner\.microsoftonline\.cn|login\.chinacloudapi\.cn|vault\.(azure\.net|usgovcloudapi\.net|azure\.cn)|(table|queue|blob)\.core\.(windows\.net|usgovcloudapi\.net|chinacloudapi\.cn))$/i;

/**
 * A URL as it may appear in telemetry: never a query string (SAS `sig=`, codes) or credentials, and only
 * the origin of a host that is not a known API. Unparseable input becomes `redacted`.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return apiHost.test(parsed.hostname) ? `${parsed.origin}${parsed.pathname}` : `${parsed.origin}/`;
  } catch {
    return 'redacted';
  }
}

/** The `url.*` span attributes of an outgoing request, redacted as `redactUrl` says. */
export function redactedUrlAttributes(url: string): Record<string, string> {
  const safe = redactUrl(url);
  const path = safe === 'redacted' ? '' : new URL(safe).pathname;
  return { 'url.full': safe, 'url.path': path, 'url.query': '' };
}
