import { EVENT_SCHEMA_VERSION } from '../events/vigilEvent.js';
import { statusPageLink } from '../dashboard/statusPageLink.js';
import { DateTime } from 'luxon';
import { eventAsOf, hasWordsAsOf } from './eventAsOf.js';
import { decidedAtOf, type NotificationItem } from './NotificationItem.js';

/**
 * A Vigil event as a CloudEvents 1.0 structured-mode JSON body (`application/cloudevents+json`):
 * `id` is the Vigil event's id (unique per emission), `type` is `vigil.` + the Vigil event type, `data`
 * is the Vigil event itself (docs/events.md, docs/events.schema.json). Extension attributes say why it
 * was sent (`vigilreason`) and which finding it belongs to (`vigilfinding`), so a consumer can open one
 * ticket per finding and close it on `recovered`); with VIGIL_PUBLIC_BASE_URL set, `vigilstatusurl` links
 * the finding on Vigil's status page.
 */
export const cloudEventContentType = 'application/cloudevents+json';
/** The JSON Batch Format (cloudevents/formats/json-format.md §4): an array of structured-mode events. */
export const cloudEventBatchContentType = 'application/cloudevents-batch+json';
export const cloudEventTypePrefix = 'vigil.';
/** Names the schema version of `data`; the schema itself is docs/events.schema.json. */
export const dataSchemaUri = `urn:vigil:events:${EVENT_SCHEMA_VERSION}`;

export interface VigilCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  vigilreason: NotificationItem['reason'];
  vigilfinding: string;
  /** The finding on Vigil's status page; only when VIGIL_PUBLIC_BASE_URL is set. */
  vigilstatusurl?: string;
  /** Sent as part of an update Vigil could not store whole (NotificationItem.heldInPart): maybe not the latest state. */
  vigilheldinpart?: true;
  data: NotificationItem['event'];
}

export function toCloudEvent(item: NotificationItem, publicBaseUrl?: string): VigilCloudEvent {
  const { event } = item;
  return {
    specversion: '1.0',
    id: event.id,
    source: `/vigil/tenants/${event.tenantId}`,
    type: `${cloudEventTypePrefix}${event.type}`,
    subject: `${event.subject.kind}/${event.subject.id}`,
    time: event.time,
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri,
    vigilreason: item.reason,
    vigilfinding: item.findingId,
    ...(publicBaseUrl ? { vigilstatusurl: statusPageLink(publicBaseUrl, { tenantId: event.tenantId, findingId: item.findingId }) } : {}),
    ...(item.heldInPart ? { vigilheldinpart: true as const } : {}),
    data: item.reminder ? asOfNow(item) : event,
  };
}

/**
 * A reminder's `data` says how things stand now: a ticketing tool that shows the summary must not read
 * "expired less than a day ago" four weeks later. An expiring or expired credential's words are said
 * again as of the reminder (the scanner's words, from its end date); other words are the producer's, of
 * when it last reported them, and say so. The identity (`id`, `vigilfinding`, the event's `dedupeKey`)
 * is the reminder's own, as before.
 */
function asOfNow(item: NotificationItem): NotificationItem['event'] {
  const now = DateTime.fromISO(decidedAtOf(item), { zone: 'utc' });
  const event = eventAsOf(item.event, now);
  const reported = item.reportedAt ? ` on ${item.reportedAt.slice(0, 10)}` : '';
  const words = hasWordsAsOf(event) ? event.summary : `Last reported${reported}: ${event.summary}`;
  return { ...event, summary: `Reminder: still open. ${words}` };
}
