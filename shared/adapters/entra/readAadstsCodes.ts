/**
 * The AADSTS codes of an Entra error body. `error_codes` when the body has them; otherwise the code that
 * opens `error_description` (`"AADSTS7000222: The provided client secret keys are expired…"`), which is
 * all some real answers carry (an `invalid_client` 401 quoted in JetBrains/azure-tools-for-intellij#283
 * has no `error_codes`). Nothing else is read from the description: it is free text that may quote the
 * request, and Microsoft documents it as not for code to react to (reference-error-codes).
 */
export function readAadstsCodes(body: Record<string, unknown>): number[] {
  const listed = Array.isArray(body['error_codes']) ? body['error_codes'].filter((c): c is number => Number.isInteger(c)) : [];
  if (listed.length > 0) return listed;
  const description = body['error_description'];
  const opening = typeof description === 'string' ? /^\s*AADSTS(\d{4,9})\b/.exec(description) : null;
  return opening ? [Number(opening[1])] : [];
}
