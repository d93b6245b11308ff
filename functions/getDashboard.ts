import { DateTime } from 'luxon';
import { loadDashboardView } from '../shared/dashboard/loadDashboardView.js';
import { renderDashboard } from '../shared/dashboard/renderDashboard.js';
import { toDashboardCsv } from '../shared/dashboard/toDashboardCsv.js';
import { createDashboardSources } from '../shared/wiring/createDashboardSources.js';
import { dashboardQuerySchema } from '../shared/dashboard/dashboardQuerySchema.js';
import { authorize } from './authorize.js';
import { csvResponse } from './csvResponse.js';
import { parseQuery } from './parseQuery.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { mintFormToken } from '../shared/dashboard/formToken.js';
import type { DashboardForms } from '../shared/dashboard/DashboardView.js';
import type { Caller } from '../shared/api/AccessOutcome.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';

/**
 * `GET /api/dashboard[?tenant=…&severity=…&format=csv]`: the status page, what needs action and what
 * could not be checked, as HTML for a person or CSV for a spreadsheet. Same access as the read API.
 */
export const getDashboard: FunctionDefinition = {
  kind: 'http',
  name: 'getDashboard',
  methods: ['GET'],
  // No function key: the status page is opened from links in mail, Teams and Slack, which never carry a key.
  // Vigil's own access check below (App Service Authentication's signed-in user, or a bearer token) guards it.
  authLevel: 'anonymous',
  route: 'dashboard',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const parsed = parseQuery(request, dashboardQuerySchema);
    if (!parsed.ok) return parsed.response;
    const { format, tenant, severity, notice, about, until } = parsed.value;
    const now = DateTime.utc();
    const view = await loadDashboardView(
      createDashboardSources(runtime),
      { tenant: tenant || undefined, severity: severity || undefined },
      now,
    );
    if (format === 'csv') return csvResponse('vigil-status.csv', toDashboardCsv(view));
    const csv = new URLSearchParams({ ...(tenant ? { tenant } : {}), ...(severity ? { severity } : {}), format: 'csv' });
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'",
      },
      body: renderDashboard(
        {
          ...view,
          // Only a caller who may act gets forms, each with a token made for them (functions/readDashboardForm.ts checks it).
          forms: auth.caller.roles.includes('Vigil.Rotate') ? await formsFor(auth.caller, runtime, now) : undefined,
          notice: notice && { said: { code: notice, about, until }, snoozeLimits: runtime.notifications.snoozeLimits },
        },
        `?${csv.toString()}`,
      ),
    };
  },
};

async function formsFor(caller: Caller, runtime: Runtime, now: DateTime): Promise<DashboardForms> {
  const key = await runtime.api.formKey();
  return { snooze: mintFormToken(key, 'snooze', caller, now), reconnect: mintFormToken(key, 'reconnect', caller, now) };
}
