import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';
import { nextLinkSchema } from '../paging/nextLinkSchema.js';
import { pageQueryShape } from '../paging/pageQuerySchema.js';

/** What happened to one message on one attempt; `fallback` records the copies sent to other channels. */
export const deliveryOutcomeKinds = ['delivered', 'retrying', 'fallback', 'poisoned', 'dropped'] as const;
export type DeliveryOutcomeKind = (typeof deliveryOutcomeKinds)[number];

/**
 * One row of the delivery log (`GET /api/notifications`): names, counts and reasons, no URLs or secrets.
 * Stored rows are parsed with it, and the API's description is generated from it.
 */
export const deliveryLogEntrySchema = z
  .object({
    at: instantSchema,
    messageId: z.string(),
    route: z.string(),
    channel: z.string().describe('The channel by its label (`mail`, `teams:ops`, `webhook:…`); never its URL.'),
    attempt: z.int(),
    outcome: z.enum(deliveryOutcomeKinds),
    detail: z.string(),
    retryInMs: z.number().optional(),
    items: z.int().describe('Findings in the message (a digest holds several).'),
    findings: z.array(z.string()).describe('Their finding ids.'),
    types: z.array(z.string()).describe('Their event types.'),
  })
  .meta({ id: 'DeliveryLogEntry', description: 'One attempt to deliver one message on one channel.' });
export type DeliveryLogEntry = z.output<typeof deliveryLogEntrySchema>;

/** The query of `GET /api/notifications`; also the source of its parameters in the OpenAPI description. */
export const deliveryLogQuerySchema = z.strictObject({
  route: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,63}$/)
    .optional()
    .describe('Only the deliveries of this route.'),
  ...pageQueryShape,
});

/** A page of `GET /api/notifications`, newest first (Azure REST API guidelines: `value`, `nextLink`). */
export const deliveryLogPageSchema = z
  .object({ value: z.array(deliveryLogEntrySchema), nextLink: nextLinkSchema.optional() })
  .meta({ id: 'DeliveryLogPage' });
export type DeliveryLogPageView = z.output<typeof deliveryLogPageSchema>;
