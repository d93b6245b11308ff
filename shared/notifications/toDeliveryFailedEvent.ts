import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';

/**
 * Why a delivery is reported:
 * - `failing`: the channel keeps failing and Vigil keeps trying (its items went to the default route);
 * - `gaveUp`: the deadline passed; `rejected`: an answer retrying cannot fix (400, 401, 403, 404, 413, a
 *   missing secret); `gone`: 410 Gone, the endpoint is disabled;
 * - `unreadable`: the outbox row or ticket does not parse, so nobody can tell what it said.
 */
export type DeliveryFailure = 'failing' | 'gaveUp' | 'rejected' | 'gone' | 'unreadable';

export interface FailedDelivery {
  failure: DeliveryFailure;
  route: string;
  /** The channel label (`mail`, `teams:ops`, `webhook:cerb`), or `unknown` for an unreadable row. */
  channel: string;
  attempts: number;
  reason: string;
  /** What was not delivered, for a person: "2 notification(s) (credential.expiring, scan.failed)". */
  what: string;
  /** Where the items were sent instead (channel labels on the default route); empty when nowhere. */
  fellBackTo: readonly string[];
}

/** The `delivery.failed` event for one failed delivery. Names and reasons only: never a URL or a key. */
export function toDeliveryFailedEvent(failed: FailedDelivery, tenantId: string, now: DateTime): VigilEvent {
  const where = `${failed.channel} on route ${failed.route}`;
  const elsewhere = failed.fellBackTo.length > 0 ? ` They were sent to ${failed.fellBackTo.join(', ')} instead.` : '';
  return newEvent(
    {
      type: 'delivery.failed',
      tenantId,
      subject: { kind: 'channel', id: `${failed.route}/${failed.channel}`, displayName: where },
      severity: 'high',
      summary: `${summaryOf(failed, where)}: ${failed.reason}.${elsewhere}`,
      impact: `Whoever reads ${failed.channel} did not get ${failed.what}${failed.failure === 'gone' ? ', and will get nothing until the endpoint is fixed' : ''}.`,
      fix: fixOf(failed),
      dedupeKey: `delivery.failed|${failed.route}|${failed.channel}|${failed.failure}`,
      data: {
        channel: failed.channel,
        route: failed.route,
        attempts: failed.attempts,
        reason: failed.reason,
        disabled: failed.failure === 'gone',
      },
    },
    now,
  );
}

function summaryOf(failed: FailedDelivery, where: string): string {
  switch (failed.failure) {
    case 'failing':
      return `Vigil has not been able to deliver ${failed.what} to ${where} (${failed.attempts} attempt(s)) and keeps trying`;
    case 'unreadable':
      return `Vigil could not read an outbox message for ${where}`;
    default:
      return `Vigil could not deliver ${failed.what} to ${where}`;
  }
}

function fixOf(failed: FailedDelivery): string {
  const parked =
    'the message waits in the vigil-outbox-poison queue; replaying it there tries once more, and never resends what was delivered';
  switch (failed.failure) {
    case 'failing':
      return `Check that ${failed.channel} is reachable and its secret in Key Vault is current; the delivery log (GET /api/notifications) shows each attempt.`;
    case 'gone':
      return `The endpoint answered 410 Gone and is disabled. Fix or replace it in VIGIL_ROUTES (a changed URL or secret name enables it again); ${parked}.`;
    case 'unreadable':
      return `Look at the VigilOutbox row of the message named in the delivery log (a corrupt or truncated row); ${parked}.`;
    default:
      return `Check that ${failed.channel} is reachable and its secret in Key Vault is current; ${parked}.`;
  }
}
