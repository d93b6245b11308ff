import { z } from 'zod';

/**
 * An instant as consumers receive it: ISO 8601 / RFC 3339 in UTC (`2026-12-04T18:00:00.000Z`). Annotated
 * `format: date-time` in the generated JSON Schemas so a consumer's validator and code generator type it as a
 * date; parsing stays lenient so an event stored by an earlier version still reads.
 */
export const instantSchema = z.string().meta({ format: 'date-time' });
