import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOpenApi } from '../../functions/getOpenApi.js';
import { getRotation } from '../../functions/getRotation.js';
import { startRotation } from '../../functions/startRotation.js';
import type { AuditEntry } from '../../shared/audit/AuditLog.js';
import { TENANT } from '../support/testScenario.js';
import { API, startRotationStack, type RotationStack } from './rotationStack.js';

let r: RotationStack;
beforeAll(async () => {
  r = await startRotationStack();
});
afterAll(async () => r?.stack.stop());

const body = () => ({ tenantId: TENANT, appId: r.appId('Creatio CRM'), vaultSecretName: 'creatio-client-secret', dryRun: true });
const audit = async (): Promise<AuditEntry[]> => r.runtime.api.audit.list(DateTime.utc().toISODate());
const forged = (roles: string[]) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [{ typ: 'tid', val: TENANT }, { typ: 'oid', val: 'attacker' }, ...roles.map((val) => ({ typ: 'roles', val }))],
      name_typ: 'name',
      role_typ: 'roles',
    }),
  ).toString('base64');

/** A token signed by the local Entra with any claims, for cases Entra would not issue on request. */
const signed = async (lifetimeSeconds: number) => {
  const login = r.stack.cloud.endpoints.clouds.global!.login;
  return (
    await r.stack.cloud.context.tokens.issue({
      issuer: `${login}/${TENANT}/v2.0`,
      tenantId: TENANT,
      appId: r.appId('Ops CLI'),
      audience: API,
      objectId: 'ops-oid',
      roles: ['Vigil.Rotate'],
      lifetimeSeconds,
    })
  ).token;
};

describe('API authorization against the local Entra', () => {
  it('accepts a token for api://vigil with Vigil.Rotate, and audits who did what', async () => {
    const response = await r.call(startRotation, { method: 'POST', path: 'rotations', token: await r.token('Ops CLI'), body: body() });
    expect(response.status).toBe(200);
    expect((await audit()).find((a) => a.outcome === 'authorized' && a.action === 'POST /api/rotations')).toMatchObject({
      actor: { kind: 'caller', appId: r.appId('Ops CLI'), tenantId: TENANT, via: 'bearer' },
    });
  });

  it.each<[string, () => Promise<Record<string, string>>, string]>([
    ['no token', async () => ({}), 'missingToken'],
    ['an expired token', async () => ({ authorization: `Bearer ${await signed(-3600)}` }), 'expired'],
    [
      'a token for another audience (Graph)',
      async () => ({ authorization: `Bearer ${await r.token('Ops CLI', 'https://graph.microsoft.com/.default')}` }),
      'wrongAudience',
    ],
    ['a token from another tenant', async () => ({ authorization: `Bearer ${await r.token('Fabrikam ops')}` }), 'tenantNotAllowed'],
    [
      'a forged x-ms-client-principal header',
      async () => ({ 'x-ms-client-principal': forged(['Vigil.Rotate']) }),
      'untrustedPrincipalHeader',
    ],
    [
      'a token with a tampered signature',
      async () => ({ authorization: `Bearer ${(await r.token('Ops CLI')).slice(0, -4)}AAAA` }),
      'badSignature',
    ],
  ])('answers 401 for %s, with WWW-Authenticate, and audits it', async (_name, headers, reason) => {
    const response = await r.call(startRotation, { method: 'POST', path: 'rotations', headers: await headers(), body: body() });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="vigil"/);
    expect(response.body).toMatchObject({ status: 401, reason });
    expect((await audit()).some((a) => a.outcome === 'unauthenticated' && a.reason === reason && a.status === 401)).toBe(true);
  });

  it('answers 403 for a token without the role, and audits it', async () => {
    const viewer = await r.call(startRotation, { method: 'POST', path: 'rotations', token: await r.token('Ops viewer'), body: body() });
    expect(viewer).toMatchObject({ status: 403, body: { missingRole: 'Vigil.Rotate' } });
    const noRoles = await r.call(getRotation, {
      method: 'GET',
      path: 'rotations/rot-00000000-0000-4000-8000-000000000000',
      params: { id: 'rot-00000000-0000-4000-8000-000000000000' },
      token: await r.token('Vigil reader'),
    });
    expect(noRoles.status).toBe(403);
    const denied = (await audit()).filter((a) => a.outcome === 'forbidden');
    expect(denied.map((a) => [a.actor.appId, a.reason])).toEqual(
      expect.arrayContaining([
        [r.appId('Ops viewer'), 'missing role Vigil.Rotate'],
        [r.appId('Vigil reader'), 'missing role Vigil.Read'],
      ]),
    );
  });

  it('trusts x-ms-client-principal only when VIGIL_TRUST_PLATFORM_AUTH says the platform authenticates', async () => {
    const trusting = r.stack.runtimeWith({ VIGIL_TRUST_PLATFORM_AUTH: 'true' });
    const { authorize } = await import('../../functions/authorize.js');
    const { HttpRequest } = await import('../../functions/azureFunctions.js');
    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/rotations/x',
      headers: { 'x-ms-client-principal': forged(['Vigil.Read']) },
    });
    expect(await authorize(request, trusting, 'Vigil.Read')).toMatchObject({
      kind: 'authorized',
      caller: { objectId: 'attacker', via: 'platform' },
    });
    expect((await authorize(request, r.runtime, 'Vigil.Read')).kind).toBe('denied');
  });

  it('never writes a token into the audit log', async () => {
    const token = await r.token('Ops CLI');
    await r.call(startRotation, { method: 'POST', path: 'rotations', token, body: body() });
    expect(JSON.stringify(await audit())).not.toContain(token.split('.')[2]);
  });

  it('serves the OpenAPI description', async () => {
    const response = await r.call(getOpenApi, { method: 'GET', path: 'openapi.json' });
    expect(response).toMatchObject({ status: 200, body: { openapi: '3.1.0' } });
  });
});
