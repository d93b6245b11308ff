import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkFormToken, FORM_TOKEN_HOURS, mintFormToken } from '../../../shared/dashboard/formToken.js';

const key = Buffer.alloc(32, 7);
const now = DateTime.fromISO('2026-12-04T18:00:00Z', { zone: 'utc' });
const ana = { tenantId: '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f', objectId: '11111111-1111-4111-8111-111111111111' };
const ben = { ...ana, objectId: '22222222-2222-4222-8222-222222222222' };

describe('form tokens', () => {
  it('accepts a token made for the same caller and action within its lifetime, and nothing else', () => {
    const token = mintFormToken(key, 'snooze', ana, now);
    expect(checkFormToken(key, token, 'snooze', ana, now.plus({ hours: FORM_TOKEN_HOURS - 1 }))).toEqual({ kind: 'valid' });
    expect(checkFormToken(key, token, 'snooze', ana, now.plus({ hours: FORM_TOKEN_HOURS }))).toEqual({ kind: 'expired' });
    expect(checkFormToken(key, token, 'snooze', ben, now)).toEqual({ kind: 'forged' });
    expect(checkFormToken(key, token, 'reconnect', ana, now)).toEqual({ kind: 'forged' });
    expect(checkFormToken(Buffer.alloc(32, 8), token, 'snooze', ana, now)).toEqual({ kind: 'forged' });
  });

  it('refuses a missing or malformed token, and one whose expiry was moved', () => {
    const token = mintFormToken(key, 'snooze', ana, now);
    expect(checkFormToken(key, undefined, 'snooze', ana, now)).toEqual({ kind: 'missing' });
    expect(checkFormToken(key, '', 'snooze', ana, now)).toEqual({ kind: 'missing' });
    expect(checkFormToken(key, 'abc', 'snooze', ana, now)).toEqual({ kind: 'malformed' });
    const [expires, nonce, mac] = token.split('.') as [string, string, string];
    const later = `${Number(expires) + 86_400}.${nonce}.${mac}`;
    expect(checkFormToken(key, later, 'snooze', ana, now)).toEqual({ kind: 'forged' });
  });

  it('is different on every page view (a nonce), and names no caller in clear', () => {
    const a = mintFormToken(key, 'snooze', ana, now);
    expect(mintFormToken(key, 'snooze', ana, now)).not.toBe(a);
    expect(a).not.toContain(ana.objectId);
  });
});
