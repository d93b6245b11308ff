import { DateTime } from 'luxon';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { scheduleRefreshes } from '../shared/tokens/scheduleRefreshes.js';
import { toPlannerDeps } from '../shared/wiring/createTokenKeeper.js';
import { sweepSignIns } from '../shared/signIn/sweepSignIns.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * Lists the watched vaults' token connections from their tags, records misconfigured ones, and queues
 * one refresh per due connection. A rerun or a late run only queues what is still due. Then it sweeps
 * expired sign-in rows (abandoned flows with their PKCE verifier, long-expired links): the anonymous
 * sign-in request does no housekeeping.
 */
export const refreshPlannerTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'refreshPlannerTimer',
  schedule: '%VIGIL_REFRESH_SCHEDULE%',
  async handler(timer, context, runtime) {
    if (timer.isPastDue) context.log('refreshPlannerTimer is running late; one run covers the missed ones.');
    const now = DateTime.utc();
    const run = await scheduleRefreshes(toPlannerDeps(runtime.tokenKeeper), now);
    context.log(`refresh planner: ${run.queued} connection(s) queued, ${run.notDue} not due, ${run.misconfigured.length} misconfigured`);
    for (const vault of run.vaults)
      if (vault.outcome.kind === 'unchecked') context.warn(`could not list ${vault.vaultUrl}: ${vault.outcome.reason}`);
    for (const m of run.misconfigured) context.warn(`connection ${toConnectionKey(m.ref)} is misconfigured: ${m.problems.join('; ')}`);
    // The planner did its job if it could list at least one vault: Vigil still reaches Key Vault as itself.
    const listed = run.vaults.length === 0 || run.vaults.some((v) => v.outcome.kind === 'checked');
    await reportRun(runtime, 'refreshPlanner', listed ? 'completed' : 'unchecked', (line) => context.warn(line));
    for (const vault of run.vaults)
      if (vault.outcome.kind === 'unchecked') runtime.telemetry.log('warn', 'vault could not be listed', { vaultUrl: vault.vaultUrl });
    for (const ref of run.forgotten) context.log(`connection ${toConnectionKey(ref)} is no longer in its vault; its state is dropped`);
    if (runtime.signIn) {
      const sweep = await sweepSignIns(runtime.signIn.flow, now);
      if (sweep.kind === 'failed') context.warn(`could not sweep expired sign-ins (${sweep.reason}); the next run tries again`);
      else if (sweep.rows > 0) context.log(`sign-ins: ${sweep.rows} expired row(s) swept`);
    }
  },
};
