import { describe, expect, it } from 'vitest';
import { parseStored } from '../../../../shared/adapters/storage/parseStored.js';
import { scanStateSchema } from '../../../../shared/scanner/scanStateSchema.js';

describe('parseStored', () => {
  it('gives the stored value when it fits its schema, and nothing for damaged or foreign text', () => {
    const state = { tenantId: 't1', lastSuccessAt: '2026-11-23T06:00:00Z', failure: { code: 'forbidden', reason: 'Graph refused' } };
    expect(parseStored(scanStateSchema, JSON.stringify(state))).toEqual(state);
    expect(parseStored(scanStateSchema, '{"tenantId": 7}')).toBeUndefined();
    expect(parseStored(scanStateSchema, '{not json')).toBeUndefined();
    expect(parseStored(scanStateSchema, undefined)).toBeUndefined();
  });
});
