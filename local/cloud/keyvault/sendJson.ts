import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { KeyVaultFailure } from './keyVaultErrors.js';

/** Key Vault answers JSON with an explicit charset, as the real service does. */
export const jsonContentType = 'application/json; charset=utf-8';

export function sendJson(c: Context, status: ContentfulStatusCode, body: unknown): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': jsonContentType });
}

export function sendFailure(c: Context, failure: KeyVaultFailure): Response {
  return c.body(JSON.stringify(failure.body), failure.status, { 'content-type': jsonContentType, ...failure.headers });
}
