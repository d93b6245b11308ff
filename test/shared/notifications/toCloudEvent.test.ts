import { describe, expect, it } from 'vitest';
import { checkCloudEvent } from '../../../local/cloud/sinks/checkCloudEvent.js';
import { vigilEventSchema } from '../../../shared/events/vigilEvent.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { toCloudEvent } from '../../../shared/notifications/toCloudEvent.js';
import { expiring, TENANT } from './notificationFixtures.js';

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
  });

  it('links the finding on the status page in an extension attribute when Vigil knows its public URL', () => {
    const event = expiring();
    const cloudEvent = toCloudEvent({ findingId: findingOf(event).id, reason: 'new', event }, 'https://vigil.contoso.com');
    expect(checkCloudEvent(cloudEvent, false)).toEqual({ kind: 'valid' });
    expect(cloudEvent.vigilstatusurl).toBe(`https://vigil.contoso.com/api/dashboard?tenant=${TENANT}#${findingOf(event).id}`);
  });
});
