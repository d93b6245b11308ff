import { DateTime } from 'luxon';
import { applySnooze } from '../shared/notifications/changeSnooze.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { invalidBody, invalidField, problem, readJsonBody } from './problem.js';
import { snoozeRequestSchema, type SnoozedFinding } from '../shared/notifications/snoozeRequestSchema.js';
import { findingIdSchema } from '../shared/notifications/findingOf.js';

/**
 * `POST /api/findings/{id}/snooze` with `{until | days, reason, by?}`: silences a finding's notifications
 * (not its recovery notice) until then; at the end the finding is re-announced at once. At most VIGIL_SNOOZE_MAX_DAYS ahead and never beyond the
 * credential's expiry plus VIGIL_SNOOZE_EXPIRY_MARGIN_DAYS: a refused snooze is a 422 saying why.
 */
export const snoozeFinding: FunctionDefinition = {
  kind: 'http',
  name: 'snoozeFinding',
  methods: ['POST'],
  authLevel: 'function',
  route: 'findings/{id}/snooze',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    const id = findingIdSchema.safeParse(request.params['id']);
    if (!id.success)
      return invalidField(
        'invalidPathParameter',
        'id',
        'a finding id looks like f- followed by 20 hex digits (see the notification or GET /api/notifications)',
      );
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = snoozeRequestSchema.safeParse(body.json);
    if (!parsed.success) return invalidBody(parsed.error);
    const now = DateTime.utc();
    const until = parsed.data.until ? DateTime.fromISO(parsed.data.until, { setZone: true }) : { days: parsed.data.days! };
    const ask = { until, reason: parsed.data.reason, by: parsed.data.by ?? auth.caller.name };
    const change = await applySnooze(id.data, ask, runtime.notifications, now);
    if (change.kind === 'unknownFinding') return problem('unknownFinding', `Vigil has not reported a finding ${id.data}.`);
    if (change.kind === 'refused')
      return problem('snoozeRefused', change.reason, { errors: [{ field: parsed.data.until ? 'until' : 'days', message: change.reason }] });
    return {
      status: 201,
      jsonBody: { findingId: change.findingId, name: change.name, type: change.type, snooze: change.snooze } satisfies SnoozedFinding,
    };
  },
};
