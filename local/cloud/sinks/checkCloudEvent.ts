import { z } from 'zod';

/**
 * CloudEvents 1.0 in structured JSON mode (github.com/cloudevents/spec, cloudevents/spec.md and
 * cloudevents/formats/json-format.md): `specversion` "1.0", `id`, `source` and `type` are required;
 * the payload is in `data` or, for binary payloads, `data_base64`, never both.
 */
export const cloudEventContentType = 'application/cloudevents+json';
export const cloudEventBatchContentType = 'application/cloudevents-batch+json';

export type CloudEventCheck = { kind: 'valid' } | { kind: 'invalid'; problems: string[] };

const required = (name: string) => z.string({ error: `${name} is required (a non-empty string)` }).min(1, `${name} must not be empty`);
const optional = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .min(1, `${name} must not be empty`)
    .optional();

const cloudEventSchema = z
  .looseObject({
    specversion: z.literal('1.0', { error: 'specversion is required and must be "1.0"' }),
    id: required('id'),
    source: required('source'),
    type: required('type'),
    datacontenttype: optional('datacontenttype'),
    dataschema: optional('dataschema'),
    subject: optional('subject'),
    time: z.iso.datetime({ offset: true, error: 'time must be an RFC 3339 timestamp' }).optional(),
    data_base64: z.string({ error: 'data_base64 must be a base64 string' }).optional(),
  })
  .refine((event) => !('data' in event && 'data_base64' in event), { error: 'data and data_base64 are mutually exclusive' });

function problemsOf(event: unknown, prefix: string): string[] {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return [`${prefix || 'the body'} must be a JSON object`];
  const result = cloudEventSchema.safeParse(event);
  return result.success ? [] : result.error.issues.map((issue) => `${prefix}${issue.message}`);
}

/** Checks a structured-mode body (`application/cloudevents+json`) or a batch (`application/cloudevents-batch+json`). */
export function checkCloudEvent(body: unknown, batch: boolean): CloudEventCheck {
  let problems: string[];
  if (!batch) problems = problemsOf(body, '');
  else if (!Array.isArray(body)) problems = ['a CloudEvents batch must be a JSON array'];
  else problems = body.flatMap((event: unknown, i) => problemsOf(event, `[${i}] `));
  return problems.length ? { kind: 'invalid', problems } : { kind: 'valid' };
}
