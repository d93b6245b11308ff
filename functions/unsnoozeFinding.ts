import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';

/** `DELETE /api/findings/{id}/snooze`: notifications resume with the next run. Idempotent. */
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
    const { state } = runtime.notifications;
    if (!/^f-[0-9a-f]{20}$/.test(id) || !(await state.getFinding(id)))
      return problem(404, 'Unknown finding', `Vigil has not reported a finding ${id}.`);
    await state.setSnooze(id, undefined);
    return { status: 204 };
  },
};
