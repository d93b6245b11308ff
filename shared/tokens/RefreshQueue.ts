import { z } from 'zod';

/** The queue the planner fills and the refresh function drains: one message per due connection. */
export const REFRESH_QUEUE_NAME = 'vigil-refresh';

/** A queued refresh: which connection, and when it was planned (older than the last attempt = duplicate). No secret. */
export const refreshMessageSchema = z.object({
  vaultUrl: z.url({ protocol: /^https$/ }),
  name: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/),
  plannedAt: z.iso.datetime({ offset: true }),
  reason: z.enum(['new', 'replaced', 'due', 'retry']),
});
export type RefreshMessage = z.infer<typeof refreshMessageSchema>;

export interface RefreshQueue {
  send(messages: readonly RefreshMessage[]): Promise<void>;
}
