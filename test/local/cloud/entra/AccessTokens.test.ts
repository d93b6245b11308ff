import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccessTokens } from '../../../../local/cloud/entra/AccessTokens.js';

const VAULT = 'https://vault.azure.net';
const claims = { issuer: 'https://login.example/t/v2.0', tenantId: 't', appId: 'a', audience: VAULT, objectId: 'o' };

afterEach(() => vi.useRealTimers());

describe('AccessTokens.check', () => {
  it('refuses a token once it has expired, although its signature was verified on an earlier request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = await AccessTokens.create();
    const { token } = await tokens.issue({ ...claims, lifetimeSeconds: 60 });
    expect(await tokens.check(`Bearer ${token}`, VAULT)).toMatchObject({ ok: true, claims: { appid: 'a' } });
    vi.setSystemTime(Date.now() + 30_000);
    expect(await tokens.check(`Bearer ${token}`, VAULT)).toMatchObject({ ok: true });
    vi.setSystemTime(Date.now() + 31_000);
    expect(await tokens.check(`Bearer ${token}`, VAULT)).toEqual({ ok: false, reason: 'expired' });
  });

  it('still checks the audience and the signature of a token it has seen', async () => {
    const tokens = await AccessTokens.create();
    const { token } = await tokens.issue(claims);
    expect(await tokens.check(`Bearer ${token}`, VAULT)).toMatchObject({ ok: true });
    expect(await tokens.check(`Bearer ${token}`, 'https://graph.microsoft.com')).toEqual({ ok: false, reason: 'wrongAudience' });
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(await tokens.check(`Bearer ${tampered}`, VAULT)).toEqual({ ok: false, reason: 'invalidSignature' });
  });
});
