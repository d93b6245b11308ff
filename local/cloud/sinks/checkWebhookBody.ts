import { checkCloudEvent, cloudEventBatchContentType, cloudEventContentType } from './checkCloudEvent.js';

export type WebhookBodyCheck = { kind: 'valid' } | { kind: 'invalid'; title: string; problems: string[] };

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * What the generic receiver asks of a body whose signature is good: JSON media types must parse, and
 * CloudEvents media types must hold a valid structured-mode event (or batch). Other media types are
 * taken as they are, as a receiver that only stores payloads would.
 */
export function checkWebhookBody(contentType: string | undefined, body: string): WebhookBodyCheck {
  const type = mediaType(contentType);
  if (type !== 'application/json' && !type.endsWith('+json')) return { kind: 'valid' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { kind: 'invalid', title: 'Body is not JSON', problems: [`${type} body does not parse: ${(error as Error).message}`] };
  }
  if (type !== cloudEventContentType && type !== cloudEventBatchContentType) return { kind: 'valid' };
  const check = checkCloudEvent(parsed, type === cloudEventBatchContentType);
  return check.kind === 'valid' ? check : { kind: 'invalid', title: 'Invalid CloudEvents envelope', problems: check.problems };
}
