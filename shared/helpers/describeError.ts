import { isCredentialError } from '../adapters/azure/isCredentialError.js';

/**
 * A one-line, secret-free description of an error: status, service error code and AADSTS code, as SDK
 * and storage errors carry them. Their messages can quote request bodies, so only these fields are ever
 * passed on; Vigil's own plain `Error`s, which carry none, are told by their message.
 */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const e = error as {
    name?: unknown;
    message?: unknown;
    statusCode?: unknown;
    code?: unknown;
    errorResponse?: { errorCodes?: number[] };
  };
  const message = typeof e.message === 'string' ? e.message : '';
  const firstCode = e.errorResponse?.errorCodes?.[0];
  const aadsts = /AADSTS\d+/.exec(message)?.[0] ?? (firstCode ? `AADSTS${firstCode}` : undefined);
  const parts = [
    isCredentialError(error) ? 'authentication failed' : undefined,
    typeof e.statusCode === 'number' && e.statusCode ? `HTTP ${e.statusCode}` : undefined,
    typeof e.code === 'string' && e.code !== String(e.statusCode) ? e.code : undefined,
    aadsts,
  ].filter(Boolean);
  if (parts.length > 0) return parts.join(' ');
  if (error instanceof Error && error.name === 'Error') return error.message;
  return typeof e.name === 'string' ? e.name : 'unknown error';
}
