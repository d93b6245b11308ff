import { isCredentialError } from './isCredentialError.js';

/**
 * A one-line, secret-free description of an SDK error: status, service error code and AADSTS code.
 * SDK messages can quote request bodies, so only these fields are ever passed on.
 */
export function describeAzureError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const e = error as Error & {
    statusCode?: number;
    code?: string;
    errorResponse?: { errorCodes?: number[]; error?: string };
    body?: unknown;
  };
  const aadsts =
    /AADSTS\d+/.exec(e.message)?.[0] ?? (e.errorResponse?.errorCodes?.[0] ? `AADSTS${e.errorResponse.errorCodes[0]}` : undefined);
  const parts = [
    isCredentialError(e) ? 'authentication failed' : undefined,
    e.statusCode ? `HTTP ${e.statusCode}` : undefined,
    e.code && e.code !== String(e.statusCode) ? e.code : undefined,
    aadsts,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : e.name;
}
