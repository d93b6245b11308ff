import type { EventPublisher } from '../events/EventPublisher.js';
import { findingOf } from '../notifications/findingOf.js';
import type { Telemetry } from '../telemetry/Telemetry.js';

/**
 * Publishes through `events` and writes one structured log record per event, with the finding, tenant
 * and event ids as properties, so `traces | where customDimensions.findingId == "f-…"` finds what Vigil
 * said about a finding, whichever producer said it. The summary is Vigil's own wording: no secret in it.
 */
export function withEventLog(events: EventPublisher, telemetry: Telemetry): EventPublisher {
  return {
    async publish(batch) {
      await events.publish(batch);
      for (const event of batch)
        telemetry.log(event.severity === 'critical' || event.severity === 'high' ? 'warn' : 'info', event.type, {
          eventId: event.id,
          eventType: event.type,
          findingId: findingOf(event).id,
          tenantId: event.tenantId,
          severity: event.severity,
        });
    },
  };
}
