import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { AccessOutcome } from '../../../shared/api/AccessOutcome.js';
import { authenticateRequest, type AccessPolicy } from '../../../shared/api/authenticateRequest.js';
import { readPlatformPrincipal } from '../../../shared/api/readPlatformPrincipal.js';

const HOME = '11111111-1111-4111-8111-111111111111';
const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const principal = (roles: string[], tenant = HOME) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      claims: [
        { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tenant },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' },
        { typ: 'appid', val: 'app-1' },
        { typ: 'name', val: 'Ops CLI' },
        ...roles.map((val) => ({ typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val })),
      ],
    }),
  ).toString('base64');

const verified: string[] = [];
const policy = (trustPlatformAuth: boolean): AccessPolicy => ({
  allowedTenants: [HOME],
  trustPlatformAuth,
  verifier: { verify: async (token): Promise<AccessOutcome> => (verified.push(token), { kind: 'unauthenticated', reason: 'expired' }) },
});
const headers = (values: Record<string, string>) => new Headers(values);

describe('authenticateRequest', () => {
  it('without a token: missingToken; with only a principal header and no platform auth: untrustedPrincipalHeader', async () => {
    expect(await authenticateRequest(headers({}), 'Vigil.Read', policy(false), NOW)).toEqual({
      kind: 'unauthenticated',
      reason: 'missingToken',
    });
    expect(
      await authenticateRequest(headers({ 'x-ms-client-principal': principal(['Vigil.Rotate']) }), 'Vigil.Rotate', policy(false), NOW),
    ).toEqual({ kind: 'unauthenticated', reason: 'untrustedPrincipalHeader' });
  });

  it('checks the bearer token and ignores a principal header beside it unless platform auth is on', async () => {
    verified.length = 0;
    const outcome = await authenticateRequest(
      headers({ authorization: 'Bearer abc.def.ghi', 'x-ms-client-principal': principal(['Vigil.Rotate']) }),
      'Vigil.Rotate',
      policy(false),
      NOW,
    );
    expect(outcome).toEqual({ kind: 'unauthenticated', reason: 'expired' });
    expect(verified).toEqual(['abc.def.ghi']);
    expect(await authenticateRequest(headers({ authorization: 'Basic dXNlcjpwdw==' }), 'Vigil.Read', policy(false), NOW)).toEqual({
      kind: 'unauthenticated',
      reason: 'malformed',
    });
  });

  it('trusts the platform principal and its roles only when the setting says so', async () => {
    expect(
      await authenticateRequest(headers({ 'x-ms-client-principal': principal(['Vigil.Rotate']) }), 'Vigil.Rotate', policy(true), NOW),
    ).toEqual({
      kind: 'authorized',
      caller: { appId: 'app-1', objectId: 'oid-1', tenantId: HOME, name: 'Ops CLI', roles: ['Vigil.Rotate'], via: 'platform' },
    });
    expect(
      await authenticateRequest(headers({ 'x-ms-client-principal': principal(['Vigil.Read']) }), 'Vigil.Rotate', policy(true), NOW),
    ).toMatchObject({ kind: 'forbidden', missingRole: 'Vigil.Rotate' });
    expect(
      await authenticateRequest(
        headers({ 'x-ms-client-principal': principal(['Vigil.Rotate'], '22222222-2222-4222-8222-222222222222') }),
        'Vigil.Rotate',
        policy(true),
        NOW,
      ),
    ).toMatchObject({ reason: 'tenantNotAllowed' });
  });

  it('reads nothing from a principal header that is not base64 JSON with claims', () => {
    expect(readPlatformPrincipal('%%%')).toBeUndefined();
    expect(readPlatformPrincipal(Buffer.from('{"claims":"no"}').toString('base64'))).toBeUndefined();
  });
});
