import type { ChannelOutcome } from '../../notifications/ChannelOutcome.js';
import type { ChannelSecrets } from '../keyVault/createSecretCache.js';
import { postToChannel, type ErrorCodeOf } from './postToChannel.js';
import { readChannelSecret } from './readChannelSecret.js';
import { withNote } from './toChannelOutcome.js';

/** How a channel's request is made from its Key Vault secret (a URL that is the credential, or a key in the body). */
export interface SecretRequest {
  secretName: string;
  /** What the secret is, for the delivery log ("the Slack webhook URL"). */
  what: string;
  /** Whom the request goes to, for the delivery log ("Teams", "Slack"): never the URL. */
  to: string;
  /** The secret is the URL itself (a Teams Workflow or Slack webhook URL), not a key sent in the body. */
  isUrl: boolean;
  build(secret: string): { url: string; body: unknown };
  errorCodeOf?: ErrorCodeOf;
}

/**
 * One JSON POST whose URL or body needs a Key Vault secret (a Teams Workflow or Slack webhook URL, a
 * PagerDuty routing key), read when needed so it appears in no setting, log line or error; the outcome
 * says when the secret was the last one read because Key Vault could not be reached.
 */
export async function postJsonWithSecret(
  secrets: ChannelSecrets,
  request: SecretRequest,
  timeoutMs: number,
  fetchFn: typeof fetch,
): Promise<ChannelOutcome> {
  const secret = await readChannelSecret(secrets, request.secretName, request.what, request.isUrl);
  if (secret.kind === 'unavailable') return secret.outcome;
  const { url, body } = request.build(secret.value);
  const outcome = await postToChannel(
    fetchFn,
    url,
    { to: request.to, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    timeoutMs,
    Date.now(),
    request.errorCodeOf,
  );
  return withNote(outcome, secret.note);
}
