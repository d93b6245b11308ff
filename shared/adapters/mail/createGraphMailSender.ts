import type { Client } from '@microsoft/microsoft-graph-client';
import type { ChannelOutcome, MailSender, OutgoingMail } from '../../notifications/ChannelOutcome.js';
import { isCredentialError } from '../../helpers/isCredentialError.js';
import { describeNoAnswer } from '../../helpers/describeError.js';
import { parseRetryAfter } from '../http/parseRetryAfter.js';
import { isVigilFault } from '../http/isVigilFault.js';
import { couldNotMakeRequest, requestFailedAs } from '../../helpers/socketCodeOf.js';
import { isTimeout, networkFailure } from '../http/toChannelOutcome.js';

/**
 * Outlook allows 4 concurrent requests per app and mailbox (learn.microsoft.com/graph/throttling-limits#outlook-service-limits):
 * the mail send budget holds each send's place from its turn to its end, per instance (sendBudgetTable.ts).
 */
export const maxConcurrentPerMailbox = 4;

/**
 * Sends a digest with Graph `POST /users/{sender}/sendMail` (Mail.Send). The HTML is the body and the
 * plain-text alternative is a `text/plain` attachment: the JSON form of sendMail takes one body, and the
 * MIME form would mean hand-building RFC 5322/2047 messages for little gain (see docs/notifications.md).
 * One send, token included, is bounded by `timeoutMs`: the request is aborted, and a token request that
 * hangs is no longer waited for.
 */
export function createGraphMailSender(client: Client, sender: string, timeoutMs: number): MailSender {
  return {
    async send(mail) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const sent = client
          .api(`/users/${encodeURIComponent(sender)}/sendMail`)
          .option('signal', signal)
          .post(toSendMailBody(mail));
        await Promise.race([sent, abortedBy(signal)]);
        return { kind: 'delivered' };
      } catch (error) {
        return fromGraphError(error, timeoutMs);
      }
    },
  };
}

const abortedBy = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

export function toSendMailBody(mail: OutgoingMail): unknown {
  const recipients = (addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));
  return {
    message: {
      subject: mail.subject,
      body: { contentType: 'HTML', content: mail.html },
      toRecipients: recipients(mail.to),
      ccRecipients: recipients(mail.cc),
      attachments: [
        {
          '@odata.type': '#microsoft.graph.fileAttachment',
          name: 'digest.txt',
          contentType: 'text/plain; charset=utf-8',
          contentBytes: Buffer.from(mail.text, 'utf8').toString('base64'),
        },
      ],
    },
  };
}

/**
 * 429/503/504 wait (as asked, when Graph says how long); 400/401/403/404 cannot succeed by retrying.
 * Without an answer (status -1 in the Graph client's error) the client's `code` is the underlying error's
 * name: a timeout, a token Vigil could not get (Entra down or throttling), a request Vigil could not make (a
 * TypeError: a fault in Vigil or its settings, createMailGraphClient), or a failure it cannot tell (requestFailedAs).
 */
export function fromGraphError(error: unknown, timeoutMs?: number): ChannelOutcome {
  const e = error as { statusCode?: number; code?: string | null; headers?: Headers };
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : undefined;
  if (status === undefined) {
    const cause = isCredentialError(e.code)
      ? `Vigil could not get a Graph token (${e.code})`
      : isTimeout(error)
        ? networkFailure(error, 'Graph', timeoutMs).reason
        : isVigilFault(e)
          ? couldNotMakeRequest('Graph', e.code ?? 'an error without a name')
          : (describeNoAnswer(error) ?? requestFailedAs('Graph', e.code || 'an error without a name'));
    return { kind: 'failed', reason: `Graph sendMail: ${cause}`, permanent: false };
  }
  const reason = `Graph sendMail: HTTP ${status}${e.code ? ` ${e.code}` : ''}`;
  const retryAfter = e.headers?.get('retry-after');
  const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
  if ([429, 503, 504].includes(status) && retryAfterMs !== undefined)
    return { kind: 'retryAfter', ms: retryAfterMs, reason: `${reason}, Retry-After ${retryAfter ?? ''}` };
  return { kind: 'failed', reason, permanent: status < 500 && status !== 429 && status !== 408 };
}
