import { EVENT_SCHEMA_VERSION } from '../events/vigilEvent.js';
import { statusPageLink } from '../dashboard/statusPageLink.js';
import { DateTime } from 'luxon';
import { untilPhrase } from './describeWhen.js';
import type { NotificationItem } from './NotificationItem.js';

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
    data: item.reminder ? asOfNow(item) : event,
  };
}

/**
 * A reminder's `data.summary` says how things stand now, then what was first reported: a ticketing
 * tool that shows the summary must not read "expired less than a day ago" four weeks later (the
 * reminder's `time` and `daysLeft` are already of now; its words were the producer's, of then).
 */
function asOfNow(item: NotificationItem): NotificationItem['event'] {
  const { event } = item;
  const now = item.at ? DateTime.fromISO(item.at, { zone: 'utc' }) : DateTime.fromISO(event.time, { zone: 'utc' });
  const end = 'endDateTime' in event.data && event.type !== 'credential.rotated' ? event.data.endDateTime : undefined;
  const status = end ? `Now ${untilPhrase(end, now)}. ` : '';
  const reported = item.reportedAt ? ` on ${item.reportedAt.slice(0, 10)}` : '';
  return { ...event, summary: `Reminder: still open. ${status}First reported${reported}: ${event.summary}` };
}
