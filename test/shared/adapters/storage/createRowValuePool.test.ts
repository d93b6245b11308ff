import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRowValuePool } from '../../../../shared/adapters/storage/createRowValuePool.js';

describe('createRowValuePool', () => {
  const facts = z.object({ name: z.string(), appId: z.string() });

  it('parses a JSON column once per distinct text, so rows with the same text hold one value', () => {
    const pool = createRowValuePool();
    const first = pool.parsed(facts, '{"name":"app-1-secret","appId":"a1"}');
    expect(first).toEqual({ name: 'app-1-secret', appId: 'a1' });
    expect(pool.parsed(facts, '{"name":"app-1-secret","appId":"a1"}')).toBe(first);
    expect(pool.parsed(facts, '{"name":"app-2-secret","appId":"a2"}')).toEqual({ name: 'app-2-secret', appId: 'a2' });
  });

  it('reads a text through each schema it is asked for, and gives nothing for damaged or foreign text', () => {
    const pool = createRowValuePool();
    const text = '{"name":"app-1-secret","appId":"a1"}';
    expect(pool.parsed(facts, text)).toEqual({ name: 'app-1-secret', appId: 'a1' });
    expect(pool.parsed(z.object({ name: z.string() }).strict(), text)).toBeUndefined();
    expect(pool.parsed(facts, '{not json')).toBeUndefined();
    expect(pool.parsed(facts, '{"name":7}')).toBeUndefined();
    expect(pool.parsed(facts, undefined)).toBeUndefined();
  });

  it('gives back the text it is given', () => {
    const pool = createRowValuePool();
    expect([pool.text('https://v1.vault.azure.net/'), pool.text('https://v1.vault.azure.net/'), pool.text(undefined)]).toEqual([
      'https://v1.vault.azure.net/',
      'https://v1.vault.azure.net/',
      undefined,
    ]);
  });
});
