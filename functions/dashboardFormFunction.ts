import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import type { FormAction } from '../shared/dashboard/formToken.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { readDashboardForm, type DashboardForm, type FormAudit } from './readDashboardForm.js';

/** What an accepted form did: where the browser goes next (303), and the audit line's outcome and target. */
export interface FormDone {
  location: string;
  audit: FormAudit;
}

/**
 * A status-page form post (`POST /api/dashboard/<action>`): the form checks of `readDashboardForm` (Vigil.Rotate,
 * origin, form token, fields; every refusal audited), then `act`, its audit line, and a 303 that is never cached
 * and sends no Referer on (the status page's URL carries its filters and notice; a sign-in link's host needs neither).
 */
export function dashboardFormFunction<T extends z.ZodType>(form: {
  name: string;
  action: FormAction;
  fields: T;
  act(accepted: Extract<DashboardForm<z.output<T>>, { kind: 'accepted' }>, request: HttpRequest, runtime: Runtime): Promise<FormDone>;
}): FunctionDefinition {
  return {
    kind: 'http',
    name: form.name,
    methods: ['POST'],
    // No function key: the status page is opened from links in mail, Teams and Slack, which never carry a key.
    // Vigil's own access check (App Service Authentication's signed-in user, or a bearer token) guards it.
    authLevel: 'anonymous',
    route: `dashboard/${form.action}`,
    async handler(request, _context, runtime) {
      const read = await readDashboardForm(request, runtime, form.action, form.fields);
      if (read.kind === 'refused') return read.response;
      const done = await form.act(read, request, runtime);
      await read.audit(done.audit);
      return { status: 303, headers: { location: done.location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
    },
  };
}
