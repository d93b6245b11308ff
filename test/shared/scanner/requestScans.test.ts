import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/AuditLog.js';
import { enqueueScans, requestScans } from '../../../shared/scanner/requestScans.js';
import type { ScanQueue } from '../../../shared/scanner/ScanPorts.js';
import { scanRequestSchema } from '../../../shared/scanner/scanRequestSchema.js';
import { tenantLookup, type TenantConfig } from '../../../shared/settings/tenantsSetting.js';

const NOW = DateTime.fromISO('2026-12-04T16:00:00.000Z', { zone: 'utc' });
const tenant = (tenantId: string, displayName: string): TenantConfig => ({
  tenantId,
  displayName,
  cloud: 'global',
  auth: { kind: 'managedIdentity' },
  routing: {},
});
const CONTOSO = '11111111-1111-4111-8111-111111111111';
const FABRIKAM = '2222fab0-2222-4222-8222-22222222fab0';
const tenants = [tenant(CONTOSO, 'Contoso'), tenant(FABRIKAM, 'Fabrikam')];
const actor = { kind: 'caller' as const, appId: 'ops-app', name: 'Ops CLI' };

function deps(queue?: ScanQueue) {
  const sent: string[] = [];
  const audit: AuditEntry[] = [];
  return {
    sent,
    audit,
    deps: {
      tenants,
      tenantOf: tenantLookup(tenants),
      queue: queue ?? { enqueue: async (id: string) => void sent.push(id) },
      audit: { record: async (e: AuditEntry) => void audit.push(e) },
    },
  };
}
const request = (body: unknown) => scanRequestSchema.parse(body);

describe('requestScans', () => {
  it('queues one tenant, named in any case, and audits who asked for which', async () => {
    const d = deps();
    const outcome = await requestScans(request({ tenantId: FABRIKAM.toUpperCase() }), { actor, because: 'api' }, d.deps, NOW);
    expect(outcome).toEqual({ kind: 'queued', scans: [{ tenantId: FABRIKAM, displayName: 'Fabrikam' }] });
    expect(d.sent).toEqual([FABRIKAM]);
    expect(d.audit).toEqual([
      {
        at: '2026-12-04T16:00:00.000Z',
        actor,
        action: 'scan.request',
        outcome: 'queued',
        target: FABRIKAM,
        reason: `api; tenants ${FABRIKAM}`,
      },
    ]);
  });

  it('queues every watched tenant for {} and for {all: true}', async () => {
    for (const body of [{}, { all: true }]) {
      const d = deps();
      expect(await requestScans(request(body), { actor, because: 'api' }, d.deps, NOW)).toMatchObject({ kind: 'queued' });
      expect(d.sent).toEqual([CONTOSO, FABRIKAM]);
      expect(d.audit[0]).toMatchObject({ target: 'all', outcome: 'queued' });
    }
  });

  it('refuses a tenant Vigil does not watch, queueing nothing', async () => {
    const d = deps();
    const other = '33333333-3333-4333-8333-333333333333';
    expect(await requestScans(request({ tenantId: other }), { actor, because: 'api' }, d.deps, NOW)).toEqual({
      kind: 'unknownTenant',
      tenantId: other,
    });
    expect(d.sent).toEqual([]);
    expect(d.audit[0]).toMatchObject({ outcome: 'unknownTenant', target: other });
  });

  it('reports a queue that cannot be reached with what was queued, status and code only', async () => {
    const d = deps({
      enqueue: async (id) => {
        if (id === FABRIKAM) throw Object.assign(new Error('https://acct.queue/?sig=secret'), { statusCode: 503, code: 'ServerBusy' });
      },
    });
    const outcome = await requestScans(request({}), { actor, because: 'api' }, d.deps, NOW);
    expect(outcome).toEqual({
      kind: 'unavailable',
      reason: 'the scan queue could not be reached (HTTP 503 ServerBusy)',
      scans: [{ tenantId: CONTOSO, displayName: 'Contoso' }],
    });
    expect(JSON.stringify(d.audit)).not.toContain('sig=');
  });

  it('rejects a body with both tenantId and all, or with unknown fields', () => {
    expect(scanRequestSchema.safeParse({ tenantId: CONTOSO, all: true }).error?.issues[0]).toMatchObject({ path: ['all'] });
    expect(scanRequestSchema.safeParse({ tenant: CONTOSO }).success).toBe(false);
    expect(scanRequestSchema.safeParse({ all: false }).success).toBe(false);
    expect(scanRequestSchema.safeParse({ tenantId: 'contoso' }).success).toBe(false);
  });
});

describe('enqueueScans', () => {
  it('sends at most 16 at a time', async () => {
    let running = 0;
    let most = 0;
    const queue: ScanQueue = {
      async enqueue() {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      },
    };
    const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);
    expect(await enqueueScans(queue, ids)).toEqual({ queued: ids });
    expect(most).toBe(16);
  });
});
