import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import { EVENT_SCHEMA_VERSION, vigilEventSchema, type VigilEvent, type VigilEventInput } from './vigilEvent.js';

type EventFields<E> = E extends unknown ? Omit<E, 'schemaVersion' | 'id' | 'time'> : never;

/** Builds and validates an event: producers give the facts, this adds id, time and version. */
export function newEvent(fields: EventFields<VigilEventInput>, now: DateTime): VigilEvent {
  return vigilEventSchema.parse({ ...fields, schemaVersion: EVENT_SCHEMA_VERSION, id: randomUUID(), time: now.toUTC().toISO() });
}
