/**
 * The names `@azure/identity` gives a failure to get a token: Entra refused or throttled the request
 * (`AuthenticationError`, or `AuthenticationRequiredError` when MSAL reports it without a status), or no
 * credential could be used at all (`CredentialUnavailableError`).
 */
const credentialErrorNames = new Set(['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError']);

/** Whether an error (or an error name, as the Graph client keeps it in `code`) means Vigil could not get a token. */
export function isCredentialError(errorOrName: unknown): boolean {
  const name = typeof errorOrName === 'string' ? errorOrName : errorOrName instanceof Error ? errorOrName.name : undefined;
  return name !== undefined && credentialErrorNames.has(name);
}

/**
 * The token endpoint's HTTP status in a credential error, when Entra answered: `@azure/identity`'s
 * `AuthenticationError` carries it as `statusCode` and in its message ("… Status code: 429 …"), and the
 * Graph client keeps only the message. A 429 or 5xx there is an Entra outage, not a wrong credential.
 */
export function tokenEndpointStatus(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; message?: unknown } | undefined;
  if (e?.statusCode !== undefined && typeof e.statusCode === 'number' && e.statusCode > 0) return e.statusCode;
  const status = typeof e?.message === 'string' ? /Status code: (\d{3})/.exec(e.message)?.[1] : undefined;
  return status ? Number(status) : undefined;
}
