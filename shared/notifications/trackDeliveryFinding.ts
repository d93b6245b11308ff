import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { deliveryFindingKey, findingIdOf, findingOf } from './findingOf.js';
import { stateKey, type NotificationState } from './NotificationState.js';
import { channelSubject } from './toDeliveryFailedEvent.js';
import { toFindingRecord } from './toFindingRecord.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/**
 * A failing channel is a finding like any other: reported on the default route (by fallBack, at once and
 * with the items it could not deliver), then open there, so it can be snoozed, is reminded of by the
 * reminder policy while it lasts, and closes with `delivery.recovered` when the channel next delivers.
 * The report bypasses the digest (a stand-in must not wait for a window), so its route state is written
 * here, as a decision to notify would have written it.
 */
export async function openDeliveryFinding(state: NotificationState, report: VigilEvent, route: string, now: DateTime): Promise<void> {
  const at = toIsoUtc(now);
  const key = stateKey(findingOf(report).id, route);
  await state.recordFindings([toFindingRecord(report)]);
  // No `overtook` (decidedOn): this report went out at once, so a decision it overtakes still in a digest is older
  // than what the route heard, and is abandoned: a flush reads a state that names no decision over one it holds as
  // this report, whatever its `notifiedAt` (this handler's start, which can be earlier than that decision's). So the
  // write must land: a conflict is another report of the same channel (it says the same) or a decision made at the
  // same moment, such as the channel's recovery when another message delivered, whose "Resolved" would otherwise
  // go out after this report; read again and write on top of it, a bounded number of times.
  for (let attempt = 0; attempt < reportWrites; attempt += 1) {
    const current = await state.read(key);
    const since = current?.value.status === 'open' ? current.value.since : at;
    const next = { status: 'open' as const, dedupeKey: report.dedupeKey, severity: report.severity, notifiedAt: at, items: [], since };
    if ((await state.commit({ key, next, etag: current?.etag })) === 'committed') return;
  }
  throw new Error(`The failure report's state of route ${route} kept changing under ${reportWrites} writes`);
}

/** Tries of a failure report's state write (openDeliveryFinding) before it gives up. */
const reportWrites = 5;

/**
 * After `channel` on `route` delivered: if a failure of it is open on some route, publish its
 * `delivery.recovered` through the notification pipeline, which closes the finding and tells every route
 * where it was open (in its digest). One point read per delivery; nothing is published when all is well.
 */
export async function closeDeliveryFinding(
  deps: { state: NotificationState; findings: EventPublisher; homeTenantId: string },
  route: string,
  channel: string,
  now: DateTime,
): Promise<boolean> {
  const id = findingIdOf(deliveryFindingKey(route, channel));
  const { routes } = await deps.state.load([id]);
  const open = [...routes.values()].flatMap((r) => (r.value.status === 'open' ? [r.value.since] : [])).sort();
  if (open.length === 0) return false;
  const failedSince = open[0]!;
  const subject = channelSubject(route, channel);
  const event = newEvent(
    {
      type: 'delivery.recovered',
      tenantId: deps.homeTenantId,
      subject,
      severity: 'info',
      summary: `Vigil delivers to ${subject.displayName} again (failing since ${failedSince}).`,
      dedupeKey: `delivery.recovered|${route}|${channel}|${failedSince}`,
      data: { channel, route, failedSince },
    },
    now,
  );
  await deps.findings.publish([event]);
  return true;
}
