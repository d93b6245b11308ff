import { describe, expect, it } from 'vitest';
import { toDimensions, toLogProperties } from '../../../shared/telemetry/toDimensions.js';

describe('toDimensions', () => {
  it('keeps kinds and ids, drops missing values', () => {
    const tenantId = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';
    expect(toDimensions({ severity: 'high', tenantId, queue: 'vigil-outbox-poison', reason: undefined })).toEqual({
      severity: 'high',
      tenantId,
      queue: 'vigil-outbox-poison',
    });
  });

  it('keeps a route template, never a path that carries a value', () => {
    expect(toDimensions({ route: 'connections/{name}/sign-in-link' })).toEqual({ route: 'connections/{name}/sign-in-link' });
    expect(toDimensions({ route: 'openapi.json' })).toEqual({ route: 'openapi.json' });
    expect(toDimensions({ route: 'sign-in/q1Xb9-Zk2mW8vT0pLr7sNa4' })).toEqual({ route: 'redacted' });
    expect(toDimensions({ route: 'findings?tenant=7d3c1f4e' })).toEqual({ route: 'redacted' });
  });

  it.each([
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig',
    'https://x.example/hook?sig=abc',
    'Graph said no',
    'AADSTS50173',
    'a'.repeat(41),
  ])('replaces %s, which is neither a kind nor an id', (value) =>
    expect(toDimensions({ outcome: value })).toEqual({ outcome: 'redacted' }),
  );
});

describe('toLogProperties', () => {
  it('keeps ids, event types, finding ids, connection keys, plain URLs, numbers and booleans', () => {
    const kept = {
      eventType: 'credential.expiring',
      findingId: 'f-0123456789abcdef0123',
      connection: 'kv-vigil.vault.azure.net/cerb-mailbox',
      vaultUrl: 'https://kv-vigil.vault.azure.net/',
      findings: 3,
      retried: false,
    };
    expect(toLogProperties({ ...kept, missing: undefined })).toEqual(kept);
  });

  it.each([
    'https://x.example/hook?sig=abc',
    'Graph said no',
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.abc',
  ])('replaces %s', (value) => expect(toLogProperties({ detail: value })).toEqual({ detail: 'redacted' }));
});
