import type { DateTime } from 'luxon';
import type { AuditActor, AuditEntry } from '../audit/AuditLog.js';
import type { AccessOutcome, Caller } from './AccessOutcome.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/** The audit line for one access decision: who (as far as known), what, when, and the decision with its reason code. */
export function accessAuditEntry(outcome: AccessOutcome, action: string, now: DateTime): AuditEntry {
  const at = toIsoUtc(now);
  switch (outcome.kind) {
    case 'authorized':
      return { at, actor: toActor(outcome.caller), action, outcome: 'authorized' };
    case 'forbidden':
      return {
        at,
        actor: toActor(outcome.caller),
        action,
        outcome: 'forbidden',
        reason: `missing role ${outcome.missingRole}`,
        status: 403,
      };
    case 'unauthenticated':
      return { at, actor: toActor(outcome.caller ?? {}), action, outcome: 'unauthenticated', reason: outcome.reason, status: 401 };
    case 'unverifiable':
      return { at, actor: { kind: 'anonymous' }, action, outcome: 'unverifiable', reason: outcome.reason, status: 503 };
  }
}

export function toActor(caller: Partial<Caller>): AuditActor {
  const known = caller.appId !== undefined && caller.objectId !== undefined;
  return {
    kind: known ? 'caller' : 'anonymous',
    ...(caller.appId ? { appId: caller.appId } : {}),
    ...(caller.objectId ? { objectId: caller.objectId } : {}),
    ...(caller.name ? { name: caller.name } : {}),
    ...(caller.tenantId ? { tenantId: caller.tenantId } : {}),
    ...(caller.via ? { via: caller.via } : {}),
  };
}
