import { z } from 'zod';
import { plannedRowSchema } from './PlannedRow.js';
import { secretNameSchema } from '../vault/secretNameSchema.js';

/**
 * A queued refresh: which connection, when it was planned (older than the last attempt = duplicate) and
 * its row as the planner read it. No secret: the state holds names, times and error codes only.
 */
export const refreshMessageSchema = z.object({
  vaultUrl: z.url({ protocol: /^https$/ }),
  name: secretNameSchema,
  plannedAt: z.iso.datetime({ offset: true }),
  reason: z.enum(['new', 'replaced', 'due', 'retry']),
  // A plan that does not parse (a message from another version) costs one read, never the refresh.
  planned: plannedRowSchema.optional().catch(undefined),
});
export type RefreshMessage = z.infer<typeof refreshMessageSchema>;
