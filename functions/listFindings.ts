import { DateTime } from 'luxon';
import { asOf } from '../shared/scanner/asOf.js';
import type { Finding } from '../shared/scanner/Finding.js';
import type { FindingQuery } from '../shared/scanner/ScanPorts.js';
import { findingsQuerySchema } from '../shared/scanner/findingsQuerySchema.js';
import { toFindingRows, toUnscannedRows, type FindingsPage } from '../shared/scanner/toFindingRows.js';
import { PAGE_SIZE } from '../shared/paging/pageQuerySchema.js';
import { toFindingsCsv } from '../shared/scanner/toFindingsCsv.js';
import { authorize } from './authorize.js';
import { csvResponse } from './csvResponse.js';
import { parseQuery } from './parseQuery.js';
import { nextLinkOf, readPage } from './paging.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

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
    const query = parseQuery(request, findingsQuerySchema);
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
      return csvResponse('vigil-findings.csv', toFindingsCsv(toFindingRows(findings, tenantName), unscanned));
    }
    const read = await readPage(() =>
      scanner.findings.page(filter, { size: $top ?? PAGE_SIZE.default, after: $skipToken, nowMs: now.toMillis() }),
    );
    if (!read.ok) return read.response;
    const value = toFindingRows(
      read.page.findings.map((f) => asOf(f, now)),
      tenantName,
    );
    return { status: 200, jsonBody: { value, ...nextLinkOf(request.url, read.page.next), unscanned } satisfies FindingsPage };
  },
};
