import { DateTime } from 'luxon';
import { z } from 'zod';
import { applySnooze } from '../shared/notifications/changeSnooze.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';
import { findingIdSchema } from '../shared/notifications/findingOf.js';

const body = z
  .object({
    until: z.iso.datetime({ offset: true }).optional(),
    days: z.number().int().min(1).optional(),
    reason: z.string().trim().min(1).max(500),
    /** Who asked for the snooze; defaults to the authenticated caller. */
    by: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => (b.until === undefined) !== (b.days === undefined), { message: 'give either until (RFC 3339) or days' });

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
      return problem(
        400,
        'Invalid finding id',
        'A finding id looks like f- followed by 20 hex digits (see the notification or GET /api/notifications).',
      );
    const parsed = body.safeParse(await request.json().catch(() => undefined));
    if (!parsed.success)
      return problem(400, 'Invalid snooze', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const now = DateTime.utc();
    const until = parsed.data.until ? DateTime.fromISO(parsed.data.until, { setZone: true }) : { days: parsed.data.days! };
    const ask = { until, reason: parsed.data.reason, by: parsed.data.by ?? auth.caller.name };
    const change = await applySnooze(id.data, ask, runtime.notifications, now);
    if (change.kind === 'unknownFinding') return problem(404, 'Unknown finding', `Vigil has not reported a finding ${id.data}.`);
    if (change.kind === 'refused') return problem(422, 'Snooze refused', change.reason);
    return { status: 201, jsonBody: { findingId: change.findingId, name: change.name, type: change.type, snooze: change.snooze } };
  },
};
