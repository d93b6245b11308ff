import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createRunTable } from '../../../../shared/adapters/storage/runTable.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

describe('the runs table', () => {
  it('records a queue producer’s completions at most once a minute per process, and the newest after that', async () => {
    const runs = createRunTable(createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'Runs'));
    const t0 = DateTime.fromISO('2026-12-04T07:00:00Z', { zone: 'utc' });
    await runs.markCompleted('delivery', t0);
    await runs.markCompleted('delivery', t0.plus({ seconds: 30 }));
    expect((await runs.lastCompleted()).delivery).toBe('2026-12-04T07:00:00.000Z');
    await runs.markCompleted('delivery', t0.plus({ seconds: 61 }));
    expect((await runs.lastCompleted()).delivery).toBe('2026-12-04T07:01:01.000Z');
  });
});
