import { DateTime } from 'luxon';
import { z } from 'zod';
import { severities } from '../shared/events/vigilEvent.js';
import { asOf } from '../shared/scanner/asOf.js';
import type { Finding } from '../shared/scanner/Finding.js';
import { InvalidPageToken, type FindingQuery } from '../shared/scanner/ScanPorts.js';
import { FINDINGS_PAGE, toFindingRows, toUnscannedRows } from '../shared/scanner/toFindingRows.js';
import { toFindingsCsv } from '../shared/scanner/toFindingsCsv.js';
import { authorize } from './authorize.js';
import { parseQuery } from './parseQuery.js';
import { problem } from './problem.js';
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
  /** Findings per JSON page (Azure REST API guidelines: `$top`, `value`, `nextLink`). */
  $top: z.coerce.number().int().min(1).max(FINDINGS_PAGE.max).optional(),
  /** Where the page starts: taken from the `nextLink` of the page before, never built by hand. */
  $skipToken: z.string().min(1).optional(),
  /** The function key, when passed in the query string. */
  code: z.string().optional(),
});

/**
 * `GET /api/findings?tenant=&severity=&maxDaysLeft=&$top=&format=csv`: the current credential findings,
 * most severe first and then soonest, filtered and ordered by the store, and the tenants that could not
 * be scanned. JSON comes a page at a time (`value`, `nextLink` while more follow, `unscanned` on every
 * page); CSV (`format=csv` or `Accept: text/csv`) holds every page.
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
    const { tenant, severity, maxDaysLeft, format, $top, $skipToken } = query.value;
    const filter: FindingQuery = { tenantId: tenant?.toLowerCase(), severities: severity, maxDaysLeft };
    const { scanner } = runtime;
    const names = new Map(scanner.tenants.map((t) => [t.tenantId.toLowerCase(), t.displayName]));
    const tenantName = (id: string) => names.get(id) ?? id;
    const now = DateTime.utc();
    const unscanned = toUnscannedRows(await scanner.states.listAll(), filter, tenantName);
    const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(request.headers.get('accept') ?? ''));
    if (wantsCsv) {
      const findings: Finding[] = [];
      for await (const f of scanner.findings.all(filter, now.toMillis())) findings.push(asOf(f, now));
      return {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="vigil-findings.csv"' },
        body: toFindingsCsv(toFindingRows(findings, tenantName), unscanned),
      };
    }
    let page;
    try {
      page = await scanner.findings.page(filter, { size: $top ?? FINDINGS_PAGE.default, after: $skipToken, nowMs: now.toMillis() });
    } catch (error) {
      if (!(error instanceof InvalidPageToken)) throw error;
      return problem(400, 'Invalid query', `$skipToken: ${error.message}; start again without it`, {
        errors: [{ parameter: '$skipToken', problem: error.message }],
      });
    }
    const value = toFindingRows(
      page.findings.map((f) => asOf(f, now)),
      tenantName,
    );
    return { status: 200, jsonBody: { value, ...(page.next ? { nextLink: nextLinkOf(request.url, page.next) } : {}), unscanned } };
  },
};

/** The same request with the next page's token: every filter and `$top` kept, so the pages are one list. */
function nextLinkOf(requestUrl: string, token: string): string {
  const url = new URL(requestUrl);
  url.searchParams.delete('code');
  url.searchParams.set('$skipToken', token);
  // As Azure's own nextLinks spell them: `$top`, `$skipToken` (URLSearchParams writes `%24`).
  return url.toString().replace(/([?&])%24(\w+)=/g, '$1$$$2=');
}
