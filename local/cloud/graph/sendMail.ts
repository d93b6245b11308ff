import type { GraphCall } from './graphCall.js';
import { graphEmpty, graphError } from './graphResponses.js';

type Check = { ok: true } | { ok: false; code: string; message: string };

const notResolved = (address: string): Check => ({
  ok: false,
  code: 'ErrorInvalidRecipients',
  message: `At least one recipient isn't valid., Recipient '${address}' is not resolved. All recipients must be resolved before a message can be submitted.`,
});

/**
 * `POST /users/{id | userPrincipalName}/sendMail`: checks the message as Exchange does, keeps it in
 * the store's captured mail with its sender, and answers 202 (accepted, not delivered). An app token with
 * Mail.Send may send as any user of its tenant.
 */
export async function sendMail(call: GraphCall, userRef: string): Promise<Response> {
  const { ids, tenant } = call;
  if (!call.caller.permissions.has('Mail.Send')) {
    return graphError(ids, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
  const user = tenant.user(userRef);
  if (!user) return graphError(ids, 404, 'ErrorInvalidUser', `The requested user '${userRef}' is invalid.`);
  // A disabled account can still own a mailbox (shared mailboxes are disabled users); a user without mail has none.
  if (!user.mail)
    return graphError(ids, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  const read = await call.readBody();
  if (!read.ok) {
    return graphError(
      ids,
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  const check = checkMessage(read.value);
  if (!check.ok) return graphError(ids, 400, check.code, check.message);
  const headers: Record<string, string> = {};
  // Keep what a test may assert on; never the bearer token.
  call.headers.forEach((value, name) => {
    if (name !== 'authorization') headers[name] = value;
  });
  call.ctx.store.captureMail({
    receivedAt: call.ctx.store.now().toISOString(),
    path: `/v1.0/users/${userRef}/sendMail`,
    headers,
    body: JSON.stringify(read.value),
    sender: user.userPrincipalName,
  });
  return graphEmpty(ids, 202);
}

function checkMessage(body: unknown): Check {
  const message = isRecord(body) ? body['message'] : undefined;
  if (!isRecord(message)) return { ok: false, code: 'ErrorInvalidParameter', message: "The value of the parameter 'Message' is empty." };
  if (message['subject'] !== undefined && message['subject'] !== null && typeof message['subject'] !== 'string') {
    return { ok: false, code: 'RequestBodyRead', message: "Cannot convert the literal to the expected type 'Edm.String'." };
  }
  const content = message['body'];
  if (content !== undefined && content !== null) {
    const type = isRecord(content) ? content['contentType'] : undefined;
    if (type !== undefined && (typeof type !== 'string' || !['text', 'html'].includes(type.toLowerCase()))) {
      return {
        ok: false,
        code: 'RequestBodyRead',
        message: `Requested value '${typeof type === 'string' ? type : JSON.stringify(type)}' was not found.`,
      };
    }
  }
  return checkRecipients(message);
}

function checkRecipients(message: Record<string, unknown>): Check {
  const lists = ['toRecipients', 'ccRecipients', 'bccRecipients'].map((name) => message[name] ?? []);
  if (lists.some((list) => !Array.isArray(list)))
    return {
      ok: false,
      code: 'RequestBodyRead',
      message: 'A node of type StartObject was read from the JSON reader when trying to read a value of collection type.',
    };
  const recipients = (lists as unknown[][]).flat();
  if (recipients.length === 0) {
    return {
      ok: false,
      code: 'ErrorInvalidRecipients',
      message: "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
    };
  }
  for (const r of recipients) {
    const address = isRecord(r) && isRecord(r['emailAddress']) ? r['emailAddress']['address'] : undefined;
    if (typeof address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(address)) return notResolved(typeof address === 'string' ? address : '');
  }
  return { ok: true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
