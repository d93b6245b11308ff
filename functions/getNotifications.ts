import { z } from 'zod';
import { authorize } from './authorize.js';
import { parseQuery } from './parseQuery.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  route: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,63}$/)
    .optional(),
});

/**
 * `GET /api/notifications[?route=ops&limit=50]`: the delivery log, newest first. Entries name routes,
 * channels, findings and outcomes; never a URL (a Workflow URL carries its credential) or a secret.
 */
export const getNotifications: FunctionDefinition = {
  kind: 'http',
  name: 'getNotifications',
  methods: ['GET'],
  authLevel: 'function',
  route: 'notifications',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const parsed = parseQuery(request, query);
    if (!parsed.ok) return parsed.response;
    const entries = await runtime.notifications.log.list({
      limit: parsed.value.limit,
      ...(parsed.value.route ? { route: parsed.value.route } : {}),
    });
    return { status: 200, jsonBody: { entries } };
  },
};
