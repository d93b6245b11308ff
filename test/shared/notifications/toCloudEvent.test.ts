import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkCloudEvent } from '../../../local/cloud/sinks/checkCloudEvent.js';
import { vigilEventSchema } from '../../../shared/events/vigilEvent.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { toCloudEvent } from '../../../shared/notifications/toCloudEvent.js';
import { expiring, NOW, TENANT, tokenFailed } from './notificationFixtures.js';

describe('toCloudEvent', () => {
  it('wraps a Vigil event in a CloudEvents 1.0 structured-mode envelope', () => {
    const event = expiring();
    const cloudEvent = toCloudEvent({ findingId: findingOf(event).id, reason: 'new', event });
    expect(checkCloudEvent(cloudEvent, false)).toEqual({ kind: 'valid' });
    expect(cloudEvent).toMatchObject({
      specversion: '1.0',
      id: event.id,
      source: `/vigil/tenants/${TENANT}`,
      type: 'vigil.credential.expiring',
      subject: 'application/a0000000-0000-4000-8000-000000000001',
      datacontenttype: 'application/json',
      dataschema: 'urn:vigil:events:1.0',
      vigilreason: 'new',
      vigilfinding: findingOf(event).id,
    });
    expect(vigilEventSchema.parse(cloudEvent.data)).toEqual(event);
    expect(cloudEvent).not.toHaveProperty('vigilstatusurl');
    expect(cloudEvent).not.toHaveProperty('vigilheldinpart');
  });

  it('marks an event sent as part of an update Vigil could not store whole, so a receiver does not close a ticket on it', () => {
    const event = expiring();
    const cloudEvent = toCloudEvent({ findingId: findingOf(event).id, reason: 'recovered', event, heldInPart: true });
    expect(checkCloudEvent(cloudEvent, false)).toEqual({ kind: 'valid' });
    expect(cloudEvent).toMatchObject({ vigilreason: 'recovered', vigilheldinpart: true });
  });

  it('links the finding on the status page in an extension attribute when Vigil knows its public URL', () => {
    const event = expiring();
    const cloudEvent = toCloudEvent({ findingId: findingOf(event).id, reason: 'new', event }, 'https://vigil.contoso.com');
    expect(checkCloudEvent(cloudEvent, false)).toEqual({ kind: 'valid' });
    expect(cloudEvent.vigilstatusurl).toBe(`https://vigil.contoso.com/api/dashboard?tenant=${TENANT}#${findingOf(event).id}`);
  });

  it('words a reminder as things stand now, not as the producer first reported them', () => {
    const first = expiring({ daysLeft: 0 });
    const end = 'endDateTime' in first.data ? first.data.endDateTime : '';
    const at = DateTime.fromISO(end, { zone: 'utc' }).plus({ days: 28, hours: 2 }).toISO()!;
    const cloudEvent = toCloudEvent({
      findingId: findingOf(first).id,
      reason: 'reminder',
      event: first,
      at,
      reminder: { kind: 'afterLapse', rung: 5, of: 6, since: end },
      reportedAt: first.time,
    });
    expect(checkCloudEvent(cloudEvent, false)).toEqual({ kind: 'valid' });
    expect(cloudEvent.data.summary).toMatch(/^Reminder: still open\. The client secret "prod" of Creatio CRM expired 28 days ago /);
    expect(cloudEvent.data.summary).not.toContain(first.summary);
    expect(cloudEvent.data.dedupeKey).toBe(first.dedupeKey);
  });

  it('marks the words of a reminder that do not age as those of the last report', () => {
    const failed = tokenFailed();
    const at = NOW.plus({ days: 3 }).toISO()!;
    const note = { kind: 'afterLapse', rung: 2, of: 6, since: failed.time } as const;
    const cloudEvent = toCloudEvent({ findingId: 'f-1', reason: 'reminder', event: failed, at, reminder: note, reportedAt: failed.time });
    expect(cloudEvent.data.summary).toBe(`Reminder: still open. Last reported on ${failed.time.slice(0, 10)}: ${failed.summary}`);
  });
});
