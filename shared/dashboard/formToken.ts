import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DateTime } from 'luxon';

/** What a status-page form does; a token made for one action is refused for another. */
export type FormAction = 'snooze' | 'reconnect';

/** Whom a token is for: the signed-in person (their tenant and object id), never a name they could share. */
export interface FormCaller {
  tenantId: string;
  objectId: string;
}

/** A page left open over a working day still works; a token copied from an old page does not. */
export const FORM_TOKEN_HOURS = 12;

export type FormTokenCheck = { kind: 'valid' } | { kind: 'missing' | 'malformed' | 'forged' | 'expired' };

const shape = /^(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

function macOf(key: Buffer, action: FormAction, caller: FormCaller, expires: string, nonce: string): Buffer {
  const message = ['vigil-form-v1', action, caller.tenantId.toLowerCase(), caller.objectId.toLowerCase(), expires, nonce].join('\n');
  return createHmac('sha256', key).update(message).digest();
}

/**
 * The anti-forgery token a status-page form carries in a hidden field: OWASP's HMAC-based token pattern
 * (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html),
 * an HMAC-SHA256 over the caller, the action, an expiry and a nonce. Nothing is stored: the check recomputes it.
 */
export function mintFormToken(key: Buffer, action: FormAction, caller: FormCaller, now: DateTime): string {
  const expires = String(Math.floor(now.plus({ hours: FORM_TOKEN_HOURS }).toSeconds()));
  const nonce = randomBytes(12).toString('base64url');
  return `${expires}.${nonce}.${macOf(key, action, caller, expires, nonce).toString('base64url')}`;
}

/** Whether `token` was made by Vigil for this caller and action and has not expired; compared in constant time. */
export function checkFormToken(
  key: Buffer,
  token: string | undefined,
  action: FormAction,
  caller: FormCaller,
  now: DateTime,
): FormTokenCheck {
  if (!token) return { kind: 'missing' };
  const match = shape.exec(token);
  if (!match) return { kind: 'malformed' };
  const [, expires = '', nonce = '', mac = ''] = match;
  const expected = macOf(key, action, caller, expires, nonce);
  if (!timingSafeEqual(expected, Buffer.from(mac, 'base64url'))) return { kind: 'forged' };
  return Number(expires) <= now.toSeconds() ? { kind: 'expired' } : { kind: 'valid' };
}
