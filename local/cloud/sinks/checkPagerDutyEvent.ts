import { z } from 'zod';

/**
 * How the emulated PagerDuty Events API v2 judges `POST /v2/enqueue`
 * (developer.pagerduty.com/docs/events-API-v2/trigger-events): `routing_key` of 32 characters,
 * `event_action` one of trigger, acknowledge, resolve; `dedup_key` at most 255 characters (required to
 * acknowledge or resolve); a trigger's `payload` with `summary` (at most 1,024), `source` and `severity`
 * (critical, error, warning, info); `links` with `href`; a body at most 512 KB.
 */
export const pagerDutySinkLimits = { routingKey: 32, dedupKey: 255, summary: 1024, bodyBytes: 512 * 1024 } as const;

const nonBlank = z.string().trim().min(1);
const link = z.object({ href: nonBlank, text: z.string().optional() });
const payload = z.object({
  summary: nonBlank.max(pagerDutySinkLimits.summary),
  source: nonBlank,
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.record(z.string(), z.unknown()).optional(),
});
const base = {
  routing_key: z.string().length(pagerDutySinkLimits.routingKey),
  dedup_key: z.string().min(1).max(pagerDutySinkLimits.dedupKey),
};
export const pagerDutyEventSchema = z.discriminatedUnion('event_action', [
  z.object({
    ...base,
    event_action: z.literal('trigger'),
    dedup_key: base.dedup_key.optional(),
    payload,
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(link).optional(),
    images: z.array(z.object({ src: nonBlank })).optional(),
  }),
  z.object({ ...base, event_action: z.literal('acknowledge') }),
  z.object({ ...base, event_action: z.literal('resolve') }),
]);
export type PagerDutyEvent = z.infer<typeof pagerDutyEventSchema>;

export type PagerDutyEventCheck = { kind: 'accepted'; event: PagerDutyEvent } | { kind: 'invalid'; errors: string[] };

export function checkPagerDutyEvent(body: string): PagerDutyEventCheck {
  if (Buffer.byteLength(body) > pagerDutySinkLimits.bodyBytes) return { kind: 'invalid', errors: ['Event payload exceeds 512 KB'] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'invalid', errors: ['Invalid JSON'] };
  }
  const checked = pagerDutyEventSchema.safeParse(parsed);
  if (checked.success) return { kind: 'accepted', event: checked.data };
  return { kind: 'invalid', errors: checked.error.issues.map((i) => `'${i.path.join('.')}' ${i.message}`) };
}
