import type { TableClient } from '@azure/data-tables';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createScanStateTable, type ScanStateTable } from '../../../../shared/adapters/storage/scanStateTable.js';
import type { ScanState } from '../../../../shared/scanner/ScanPorts.js';
import { leaseScanState } from '../../../support/leaseScanState.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const t0 = DateTime.fromISO('2026-12-05T03:00:00Z', { zone: 'utc' });
const LEASE_MS = 60_000;

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

/** The scan-state table on a fresh table, with every request it sends (method and URL) written down. */
let table: TableClient;
let states: ScanStateTable;
let sent: { method: string; url: string }[];
let tables = 0;
beforeEach(() => {
  table = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, `ScanState${++tables}`);
  sent = [];
  table.pipeline.addPolicy({
    name: 'recordRequests',
    sendRequest: (request, next) => {
      sent.push({ method: request.method, url: decodeURIComponent(request.url) });
      return next(request);
    },
  });
  states = createScanStateTable(table, LEASE_MS);
});

/** A state that says who saved it. */
const scanned = (at: DateTime, by: string): ScanState => ({
  tenantId: TENANT,
  lastSuccessAt: at.toISO()!,
  failingSince: at.toISO()!,
  failure: { code: 'incomplete', reason: `saved by ${by}` },
});

async function acquired(holder: string, now = t0) {
  const lease = await leaseScanState(states, TENANT, now, holder);
  if (lease.kind !== 'acquired') throw new Error(`${holder} found the tenant busy until ${lease.until}`);
  return lease;
}

describe('the scan state lease', () => {
  it('saves the state and frees the tenant with one write when nobody touched the row since the lease was taken', async () => {
    const first = await acquired('message-1');
    sent = [];
    expect(await states.release(first.lease, scanned(t0, 'message-1'))).toBe(true);
    expect(sent.map((r) => r.method)).toEqual(['PUT']);
    const next = await acquired('message-2', t0.plus({ minutes: 5 }));
    expect(next.state).toEqual(scanned(t0, 'message-1'));
  });

  it('writes nothing when the lease ran out and another holder took the tenant, and reads no kept intelligence to find out', async () => {
    const late = await acquired('message-1');
    const taker = await acquired('message-2', t0.plus({ milliseconds: LEASE_MS + 1 }));
    sent = [];
    expect(await states.release(late.lease, scanned(t0, 'message-1'))).toBe(false);
    expect(sent.filter((r) => r.method === 'GET').map((r) => r.url)).toEqual([
      expect.stringContaining('$select=state,leaseUntil,leaseHolder'),
    ]);
    expect(await leaseScanState(states, TENANT, t0.plus({ milliseconds: LEASE_MS + 2 }), 'message-3')).toMatchObject({ kind: 'busy' });
    expect(await states.release(taker.lease, scanned(t0, 'message-2'))).toBe(true);
    expect((await acquired('message-3', t0.plus({ minutes: 10 }))).state).toEqual(scanned(t0, 'message-2'));
  });

  it('still saves when the same message took its lease back meanwhile (a redelivery): the lease is its own', async () => {
    const first = await acquired('message-1');
    await acquired('message-1', t0.plus({ seconds: 30 }));
    expect(await states.release(first.lease, scanned(t0, 'message-1'))).toBe(true);
    expect((await acquired('message-2', t0.plus({ minutes: 1 }))).state).toEqual(scanned(t0, 'message-1'));
  });

  it('keeps a tenant busy for another holder while its lease lasts', async () => {
    await acquired('message-1');
    expect(await leaseScanState(states, TENANT, t0.plus({ seconds: 59 }), 'message-2')).toEqual({
      kind: 'busy',
      until: t0.plus({ milliseconds: LEASE_MS }).toISO({ suppressMilliseconds: false }),
    });
  });

  it('gives the lease to one of two holders that read the same row before either claimed it, new tenant or not', async () => {
    for (const at of [t0, t0.plus({ minutes: 5 })]) {
      const [a, b] = await Promise.all([states.read(TENANT, at, 'message-a'), states.read(TENANT, at, 'message-b')]);
      if (a.kind !== 'free' || b.kind !== 'free') throw new Error('the tenant was not free to read');
      expect([a.stored, b.stored]).toEqual(at === t0 ? [false, false] : [true, true]);
      const claims = await Promise.all([a.claim(), b.claim()]);
      expect(claims.map((c) => c.kind).sort()).toEqual(['acquired', 'busy']);
      const winner = claims.find((c) => c.kind === 'acquired')!;
      if (winner.kind !== 'acquired') throw new Error('unreachable');
      expect(await states.release(winner.lease, scanned(at, winner.lease.holder))).toBe(true);
    }
  });
});
