import { z } from 'zod';
import { dashboardFilterFields, toDashboardLocation } from '../shared/dashboard/dashboardQuery.js';
import type { FormNotice } from '../shared/dashboard/FormNotice.js';
import { SNOOZE_CHOICES } from '../shared/dashboard/renderForms.js';
import { applySnooze, liftSnooze } from '../shared/notifications/changeSnooze.js';
import { findingIdSchema } from '../shared/notifications/findingOf.js';
import { dashboardFormFunction } from './dashboardFormFunction.js';

const fields = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('snooze'),
    finding: findingIdSchema,
    days: z.literal(SNOOZE_CHOICES.map(String)).transform(Number),
    reason: z.string().trim().min(1).max(500),
    ...dashboardFilterFields,
  }),
  z.strictObject({ action: z.literal('unsnooze'), finding: findingIdSchema, ...dashboardFilterFields }),
]);

/**
 * `POST /api/dashboard/snooze`: the status page's snooze and unsnooze buttons (an HTML form, since the page
 * runs no script). Same role, same use case and same audit as `POST|DELETE /api/findings/{id}/snooze`, behind
 * the form checks (token, origin); answers 303 back to the page with what it did.
 */
export const snoozeFromDashboard = dashboardFormFunction({
  name: 'snoozeFromDashboard',
  action: 'snooze',
  fields,
  async act({ fields: asked, caller, now }, request, runtime) {
    let notice: FormNotice;
    if (asked.action === 'snooze') {
      const change = await applySnooze(
        asked.finding,
        { until: { days: asked.days }, reason: asked.reason, by: caller.name },
        runtime.notifications,
        now,
      );
      notice =
        change.kind === 'snoozed'
          ? { code: 'snoozed', about: asked.finding, until: change.snooze.until.slice(0, 10) }
          : { code: change.kind === 'refused' ? 'snoozeRefused' : 'unknownFinding', about: asked.finding, until: undefined };
    } else {
      const lifted = await liftSnooze(asked.finding, runtime.notifications, now);
      notice = { code: lifted.kind === 'lifted' ? 'unsnoozed' : 'unknownFinding', about: asked.finding, until: undefined };
    }
    return { location: toDashboardLocation(request.url, asked, notice), audit: { outcome: notice.code, target: asked.finding } };
  },
});
