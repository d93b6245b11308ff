import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { sweepSignIns } from '../../../shared/signIn/sweepSignIns.js';
import { memorySignInStore } from './signInFixtures.js';

const NOW = DateTime.fromISO('2026-12-04T22:00:00Z', { zone: 'utc' });

describe('sweepSignIns', () => {
  it('asks the store to drop what expired before now and says how many went', async () => {
    const store = memorySignInStore();
    const asked: string[] = [];
    store.sweep = async (now) => (asked.push(now), 3);
    expect(await sweepSignIns({ store }, NOW)).toEqual({ kind: 'swept', rows: 3 });
    expect(asked).toEqual(['2026-12-04T22:00:00.000Z']);
  });

  it('tells a storage failure by status and code, never by a message that could quote a request', async () => {
    const store = memorySignInStore();
    store.sweep = async () => {
      throw Object.assign(new Error('PartitionKey eq link and RowKey eq 3f9a…'), { statusCode: 503, code: 'ServerBusy' });
    };
    const sweep = await sweepSignIns({ store }, NOW);
    expect(sweep).toMatchObject({ kind: 'failed' });
    expect(sweep.kind === 'failed' && sweep.reason).toContain('503');
    expect(JSON.stringify(sweep)).not.toContain('RowKey');
  });
});
