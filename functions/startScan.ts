import type { HttpResponseInit } from '@azure/functions';
import { DateTime } from 'luxon';
import { toActor } from '../shared/api/accessAuditEntry.js';
import { requestScans, type QueuedScan, type ScanRequestOutcome } from '../shared/scanner/requestScans.js';
import { scanRequestSchema, type QueuedScans } from '../shared/scanner/scanRequestSchema.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { invalidBody, problem, readJsonBody } from './problem.js';

/**
 * `POST /api/scans`: scans one watched tenant (`{"tenantId"}`) or all of them (`{}` or `{"all": true}`)
 * now, through the scan planner's queue, and answers 202 with where to watch the outcome. Needs
 * Vigil.Rotate. A scan already running for a tenant holds its lease, so a queued one never overlaps it.
 */
export const startScan: FunctionDefinition = {
  kind: 'http',
  name: 'startScan',
  methods: ['POST'],
  authLevel: 'function',
  route: 'scans',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    // An empty body is the same as {}: scan every watched tenant.
    const body = await readJsonBody(request, { empty: {} });
    if (!body.ok) return body.response;
    const parsed = scanRequestSchema.safeParse(body.json);
    if (!parsed.success) return invalidBody(parsed.error);
    const context = { actor: toActor(auth.caller), because: 'api' };
    return toResponse(await requestScans(parsed.data, context, runtime.scans, DateTime.utc()), parsed.data.tenantId);
  },
};

const findingsOf = (tenantId?: string) => `/api/findings${tenantId ? `?tenant=${tenantId}` : ''}`;
const dashboardOf = (tenantId?: string) => `/api/dashboard${tenantId ? `?tenant=${tenantId}` : ''}`;

/** `one`: the tenant asked for, if the request named one; links then point at that tenant. */
function toResponse(outcome: ScanRequestOutcome, one: string | undefined): HttpResponseInit {
  switch (outcome.kind) {
    case 'queued': {
      return {
        status: 202,
        headers: { location: findingsOf(one) },
        jsonBody: {
          queued: outcome.scans.map(toView),
          links: { findings: findingsOf(one), dashboard: dashboardOf(one), health: '/api/health' },
        } satisfies QueuedScans,
      };
    }
    case 'unknownTenant':
      return problem('unknownTenant', `Tenant ${outcome.tenantId} is not one Vigil watches (VIGIL_TENANTS).`, {
        errors: [{ field: 'tenantId', message: 'not in VIGIL_TENANTS' }],
      });
    case 'unavailable':
      return problem('scanQueueUnavailable', `${outcome.reason}; the hourly scan still runs.`, {
        queued: outcome.scans.map(toView),
        headers: { 'retry-after': '30' },
      });
  }
}

function toView(scan: QueuedScan) {
  return { ...scan, findings: findingsOf(scan.tenantId), dashboard: dashboardOf(scan.tenantId) };
}
