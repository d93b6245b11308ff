import { z } from 'zod';
import { EVENT_SCHEMA_VERSION, vigilEventSchema } from './vigilEvent.js';

/**
 * The JSON Schema (draft 2020-12) of a Vigil event as consumers receive it, generated from the zod
 * model so the two cannot differ: docs/events.schema.json is this, and a test keeps it current.
 */
export function toEventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(vigilEventSchema, { io: 'output', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: `urn:vigil:events:${EVENT_SCHEMA_VERSION}`,
    title: `Vigil event, schema version ${EVENT_SCHEMA_VERSION}`,
    description:
      'One event of Vigil: a credential expiring or rotated, a token refresh failing or recovering, a scan, a rotation or a failed delivery. See docs/events.md.',
  };
}
