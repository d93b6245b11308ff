import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';

/** The body of `POST /api/findings/{id}/snooze`; also the source of its schema in the OpenAPI description. */
export const snoozeRequestSchema = z
  .strictObject({
    until: z.iso.datetime({ offset: true }).optional().describe('RFC 3339 end of the snooze (any offset; stored in UTC).'),
    days: z.number().int().min(1).optional().describe('Or the length of the snooze in days from now.'),
    reason: z.string().trim().min(1).max(500).describe('Why, for whoever sees the finding next.'),
    by: z.string().trim().min(1).max(200).optional().describe('Who asked for the snooze; defaults to the authenticated caller.'),
  })
  .refine((b) => (b.until === undefined) !== (b.days === undefined), { message: 'give either until (RFC 3339) or days' })
  .meta({
    id: 'SnoozeRequest',
    description: 'Give `until` or `days`, and a `reason`.',
    examples: [{ days: 7, reason: 'Rotation booked with the vendor for Tuesday' }],
  });

/** What a snooze answers: the finding and the snooze as stored. */
export const snoozedFindingSchema = z
  .object({
    findingId: z.string(),
    name: z.string().describe('What the finding is about, as its notifications name it.'),
    type: z.string().describe('The event type that opened it (`credential.expiring`, …).'),
    snooze: z.object({
      until: instantSchema,
      reason: z.string(),
      by: z.string(),
      at: instantSchema.describe('When the snooze was set.'),
    }),
  })
  .meta({ id: 'SnoozedFinding' });
export type SnoozedFinding = z.output<typeof snoozedFindingSchema>;
