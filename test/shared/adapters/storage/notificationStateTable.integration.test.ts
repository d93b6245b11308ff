import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { listSnoozedFindings } from '../../../../shared/adapters/storage/listSnoozedFindings.js';
import { createNotificationStateTable } from '../../../../shared/adapters/storage/notificationStateTable.js';
import type { RouteState } from '../../../../shared/notifications/NotificationState.js';
import { toFindingRecord } from '../../../../shared/notifications/toFindingRecord.js';
import { expiring } from '../../notifications/notificationFixtures.js';
import { trackRequestsInFlight } from '../../../support/requestsInFlight.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const tableNamed = (name: string) => createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, name);
const open = (dedupeKey: string): RouteState => ({
  status: 'open',
  dedupeKey,
  severity: 'high',
  notifiedAt: '2026-11-23T06:00:00.000Z',
  since: '2026-11-23T06:00:00.000Z',
  items: ['w-1/item|ops|f|1'],
});

describe('the notification state table', () => {
  it("records a first scan's thousands of findings a few requests at a time, not all at once", async () => {
    const client = tableNamed('StateBurst');
    const inFlight = trackRequestsInFlight(client);
    const state = createNotificationStateTable(client);
    const records = Array.from({ length: 300 }, (_, i) => toFindingRecord(expiring({ keyId: `burst-${i}` })));
    await state.getFinding(records[0]!.findingId);
    inFlight.reset();

    await state.recordFindings(records);

    expect(inFlight.most).toBeLessThanOrEqual(16);
    expect((await state.getFinding(records[299]!.findingId))?.key).toBe(records[299]!.key);
  });

  it('writes a route state only at the ETag it was read with, so of two writers one loses', async () => {
    const state = createNotificationStateTable(tableNamed('StateConditional'));
    const key = 'f-00000000000000000001/ops';
    expect(await state.commit({ key, next: open('a'), etag: undefined })).toBe('committed');
    expect(await state.commit({ key, next: open('b'), etag: undefined })).toBe('conflict');
    const read = (await state.read(key))!;
    expect(read.value).toEqual(open('a'));
    expect(await state.commit({ key, next: open('c'), etag: read.etag })).toBe('committed');
    expect(await state.commit({ key, next: open('d'), etag: read.etag })).toBe('conflict');
    expect((await state.read(key))!.value.dedupeKey).toBe('c');
  });

  it('reads rows an older version wrote (an open flag, no status) as states typed by status', async () => {
    const table = tableNamed('StateLegacy');
    const state = createNotificationStateTable(table);
    await table.createTable();
    const legacy = { open: true, dedupeKey: 'k', severity: 'critical', notifiedAt: '2026-11-20T06:00:00.000Z' };
    await table.createEntity({ partitionKey: 'f-00000000000000000002', rowKey: 'ops', state: JSON.stringify(legacy) });
    await table.createEntity({
      partitionKey: 'f-00000000000000000002',
      rowKey: 'audit',
      state: JSON.stringify({ ...legacy, open: false }),
    });
    const { routes } = await state.load(['f-00000000000000000002']);
    expect(routes.get('f-00000000000000000002/ops')?.value).toEqual({
      status: 'open',
      dedupeKey: 'k',
      severity: 'critical',
      notifiedAt: legacy.notifiedAt,
      since: legacy.notifiedAt,
      items: [],
    });
    expect(routes.get('f-00000000000000000002/audit')?.value.status).toBe('closed');
    expect((await state.listOpen()).map((o) => `${o.findingId}/${o.route}`)).toEqual(['f-00000000000000000002/ops']);
  });

  it('keeps the newest event with the record, lifts only the snooze it was asked to, and lists the snoozed', async () => {
    const table = tableNamed('StateRecords');
    const state = createNotificationStateTable(table);
    const event = expiring({ daysLeft: 3 });
    const record = {
      findingId: 'f-00000000000000000003',
      key: 'k',
      type: event.type,
      severity: event.severity,
      tenantId: event.tenantId,
      name: 'App',
      lastSeen: event.time,
      event,
    };
    await state.recordFindings([record, { ...record, findingId: 'f-00000000000000000004' }]);
    const snooze = { until: '2026-12-01T00:00:00.000Z', reason: 'r', by: 'ana@contoso.com', at: '2026-11-23T06:00:00.000Z' };
    await state.setSnooze('f-00000000000000000003', snooze);
    expect(await state.getFinding('f-00000000000000000003')).toEqual({ ...record, snooze });
    expect((await listSnoozedFindings(table)).map((r) => [r.findingId, r.snooze?.until, r.event])).toEqual([
      ['f-00000000000000000003', snooze.until, undefined],
    ]);

    await state.clearSnooze('f-00000000000000000003', '2026-12-09T00:00:00.000Z'); // another snooze's end: kept
    expect((await state.getFinding('f-00000000000000000003'))?.snooze).toEqual(snooze);
    await state.clearSnooze('f-00000000000000000003', snooze.until);
    expect((await state.getFinding('f-00000000000000000003'))?.snooze).toBeUndefined();
    expect(await listSnoozedFindings(table)).toEqual([]);
  });
});
