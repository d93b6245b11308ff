import { z } from 'zod';
import { severities } from '../shared/events/vigilEvent.js';
import { toFindingRows, toUnscannedRows } from '../shared/scanner/toFindingRows.js';
import { toFindingsCsv } from '../shared/scanner/toFindingsCsv.js';
import { authorize } from './authorize.js';
import { parseQuery } from './parseQuery.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const querySchema = z.strictObject({
  tenant: z.uuid().optional(),
  /** Exact severities, comma-separated: `high,critical`. */
  severity: z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(severities)).min(1))
    .optional(),
  /** Findings with at most this many days left (negative: expired at least that long ago). */
  maxDaysLeft: z.coerce.number().int().min(-36_500).max(36_500).optional(),
  format: z.enum(['json', 'csv']).optional(),
  /** The function key, when passed in the query string. */
  code: z.string().optional(),
});

/**
 * `GET /api/findings?tenant=&severity=&maxDaysLeft=&format=csv`: the current credential findings and
 * the tenants that could not be scanned, as JSON or CSV (`format=csv` or `Accept: text/csv`).
 */
export const listFindings: FunctionDefinition = {
  kind: 'http',
  name: 'listFindings',
  methods: ['GET'],
  authLevel: 'function',
  route: 'findings',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const query = parseQuery(request, querySchema);
    if (!query.ok) return query.response;
    const { tenant, severity, maxDaysLeft, format } = query.value;
    const filter = { tenantId: tenant, severities: severity, maxDaysLeft };
    const { scanner } = runtime;
    const names = new Map(scanner.tenants.map((t) => [t.tenantId.toLowerCase(), t.displayName]));
    const tenantName = (id: string) => names.get(id) ?? id;
    const [findings, states] = await Promise.all([allFindings(runtime, tenant?.toLowerCase()), scanner.states.listAll()]);
    const rows = toFindingRows(findings, filter, tenantName);
    const unscanned = toUnscannedRows(states, filter, tenantName);
    const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(request.headers.get('accept') ?? ''));
    if (wantsCsv)
      return {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="vigil-findings.csv"' },
        body: toFindingsCsv(rows, unscanned),
      };
    return { status: 200, jsonBody: { findings: rows, unscanned } };
  },
};

async function allFindings(runtime: Parameters<typeof listFindings.handler>[2], tenantId: string | undefined) {
  const findings = [];
  for await (const f of runtime.scanner.findings.all({ tenantId }, Date.now())) findings.push(f);
  return findings;
}
