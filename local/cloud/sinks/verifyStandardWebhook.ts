import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** The tolerance `standardwebhooks` applies, either side of the receiver's clock. */
export const webhookToleranceSeconds = 5 * 60;

export type WebhookVerification = { kind: 'verified' } | { kind: 'rejected'; reason: string };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Verifies Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) against
 * the raw body, with the reasons `standardwebhooks` gives (spec: github.com/standard-webhooks/standard-webhooks,
 * spec/standard-webhooks.md).
 *
 * Why not `new Webhook(secret).verify(…)`: it judges the timestamp by `Date.now()`, while every emulator
 * of the local cloud judges time by the store's clock, which the admin API can move. A sender whose clock
 * follows the local cloud's would then fail here as "too new". So the timestamp is checked against `now`
 * and the library is used for what matters, the secret's decoding and the HMAC (`sign`). Reasons never
 * carry the secret or the expected signature.
 */
export function verifyStandardWebhook(secret: string, body: string, headers: Record<string, string>, now: Date): WebhookVerification {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures)
    return { kind: 'rejected', reason: 'Missing required headers (webhook-id, webhook-timestamp and webhook-signature).' };
  if (!/^\d+$/.test(timestamp))
    return { kind: 'rejected', reason: `Invalid Signature Headers: webhook-timestamp must be integer Unix seconds (got "${timestamp}").` };

  const sentAt = Number(timestamp);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const age = nowSeconds - sentAt;
  if (age > webhookToleranceSeconds) {
    return {
      kind: 'rejected',
      reason: `Message timestamp too old: sent ${age} s before the receiver's clock (tolerance ${webhookToleranceSeconds} s).`,
    };
  }
  if (-age > webhookToleranceSeconds) {
    return {
      kind: 'rejected',
      reason: `Message timestamp too new: sent ${-age} s after the receiver's clock (tolerance ${webhookToleranceSeconds} s).`,
    };
  }

  const expected = new Webhook(secret).sign(id, new Date(sentAt * 1000), body).slice('v1,'.length);
  // Several space-separated entries are allowed (key rotation); only v1 (HMAC-SHA256) is checked here.
  const matches = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    return version === 'v1' && signature !== undefined && sameText(signature, expected);
  });
  return matches
    ? { kind: 'verified' }
    : { kind: 'rejected', reason: 'No matching signature found: no v1 signature matches the body, id and timestamp.' };
}
