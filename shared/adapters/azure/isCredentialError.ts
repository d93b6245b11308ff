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
