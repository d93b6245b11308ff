import { DateTime } from 'luxon';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { refreshConnection } from '../shared/tokens/refreshConnection.js';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { refreshMessageSchema } from '../shared/tokens/RefreshMessage.js';
import { findStore, toRefreshDeps } from '../shared/wiring/createTokenKeeper.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * Refreshes the one connection a message names, under its lease. A duplicate or late message is
 * harmless: a busy lease or a newer attempt drops it. Failures are recorded and retried by the planner,
 * not by the queue, so the handler only throws on bugs.
 */
export const refreshConnectionQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'refreshConnectionQueue',
  queueName: queueNames.refresh,
  async handler(message, context, runtime) {
    const parsed = refreshMessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(
        `dropping a malformed refresh message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      return;
    }
    const { vaultUrl, name, plannedAt, planned } = parsed.data;
    const store = findStore(runtime.tokenKeeper, vaultUrl);
    if (!store) {
      context.warn(`dropping a refresh of ${name}: Vigil does not watch ${vaultUrl}`);
      return;
    }
    const ref = { vaultUrl: store.vaultUrl, name };
    const run = await refreshConnection(toRefreshDeps(runtime.tokenKeeper, store), ref, DateTime.utc(), {
      plannedAt: DateTime.fromISO(plannedAt),
      ...(planned ? { planned } : {}),
    });
    const key = toConnectionKey(ref);
    const { telemetry } = runtime;
    if (run.kind === 'attempted') {
      telemetry.count('refreshes', { outcome: run.outcome, status: run.state.status });
      await reportRun(runtime, 'refresh', 'completed', (line) => context.warn(line));
      telemetry.log(run.state.status === 'healthy' ? 'info' : 'warn', 'connection refreshed', {
        connection: key,
        outcome: run.outcome,
        status: run.state.status,
      });
    } else {
      telemetry.count('refreshes', { outcome: run.kind });
      await reportRun(runtime, 'refresh', 'skipped', (line) => context.warn(line));
    }
    switch (run.kind) {
      case 'busy':
        return context.log(`${key}: another refresh holds the lease until ${run.heldUntil}; leaving it to that one`);
      case 'alreadyDone':
        return context.log(`${key}: already attempted since this message was planned`);
      case 'notAConnection':
        return context.warn(`${key}: is not a token connection (any more)`);
      case 'attempted': {
        const s = run.state;
        if (s.status === 'healthy') context.log(`${key}: ${run.outcome}`);
        else
          context.warn(
            `${key}: ${run.outcome}${s.status === 'failing' ? ` (${s.failureClass}, ${s.lastErrorCode}, ${s.consecutiveFailures} in a row)` : ''}`,
          );
        for (const warning of run.warnings) context.warn(`${key}: ${warning}`);
        if (run.leaseLost) context.warn(`${key}: the lease expired before the refresh ended; raise VIGIL_REFRESH_LEASE_SECONDS`);
      }
    }
  },
};
