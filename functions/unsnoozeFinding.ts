import { DateTime } from 'luxon';
import { liftSnooze } from '../shared/notifications/changeSnooze.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';
import { findingIdSchema } from '../shared/notifications/findingOf.js';

/** `DELETE /api/findings/{id}/snooze`: ends the snooze now, which re-announces the finding at once. Idempotent. */
export const unsnoozeFinding: FunctionDefinition = {
  kind: 'http',
  name: 'unsnoozeFinding',
  methods: ['DELETE'],
  authLevel: 'function',
  route: 'findings/{id}/snooze',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    const id = request.params['id'] ?? '';
    const lifted = findingIdSchema.safeParse(id).success ? await liftSnooze(id, runtime.notifications, DateTime.utc()) : undefined;
    if (lifted?.kind !== 'lifted') return problem('unknownFinding', `Vigil has not reported a finding ${id}.`);
    return { status: 204 };
  },
};
