import type { VigilEvent } from './vigilEvent.js';

/**
 * Where producers hand their events. The notification pipeline implements it (outbox, routing, dedupe);
 * producers never know which channels exist.
 */
export interface EventPublisher {
  publish(events: readonly VigilEvent[]): Promise<void>;
}
