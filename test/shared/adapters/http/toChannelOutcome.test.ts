import { describe, expect, it } from 'vitest';
import { GraphUnansweredError } from '../../../../shared/adapters/graph/GraphUnansweredError.js';
import { parseRetryAfter } from '../../../../shared/adapters/http/parseRetryAfter.js';
import { networkFailure, toChannelOutcome } from '../../../../shared/adapters/http/toChannelOutcome.js';
import { fromGraphError } from '../../../../shared/adapters/mail/createGraphMailSender.js';

const now = Date.parse('2026-11-23T06:00:00Z');

describe('toChannelOutcome', () => {
  it.each([
    [202, null, { kind: 'delivered' }],
    [204, null, { kind: 'delivered' }],
    [410, null, { kind: 'gone', reason: 'HTTP 410 Gone' }],
    [429, '2.128', { kind: 'retryAfter', ms: 2128, reason: 'HTTP 429, Retry-After 2.128' }],
    [
      503,
      'Mon, 23 Nov 2026 06:01:00 GMT',
      { kind: 'retryAfter', ms: 60_000, reason: 'HTTP 503, Retry-After Mon, 23 Nov 2026 06:01:00 GMT' },
    ],
    [429, null, { kind: 'failed', reason: 'HTTP 429', permanent: false }],
    [500, null, { kind: 'failed', reason: 'HTTP 500', permanent: false }],
    [302, null, { kind: 'failed', reason: 'HTTP 302', permanent: true }],
    [400, null, { kind: 'failed', reason: 'HTTP 400', permanent: true }],
    [401, null, { kind: 'failed', reason: 'HTTP 401', permanent: true }],
    [413, null, { kind: 'failed', reason: 'HTTP 413', permanent: true }],
  ])('%i (Retry-After %s)', (status, retryAfter, expected) => expect(toChannelOutcome(status, retryAfter, now)).toEqual(expected));

  it.each([
    ['the connection failed', 'fetch failed', 'ECONNREFUSED', 'the connection to Teams failed (ECONNREFUSED)'],
    // No fault of Vigil's, and retried as any other failure without an answer.
    [
      'an answer was cut short',
      'terminated',
      'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
      'the request to Teams failed (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)',
    ],
  ])('says %s, keeping only its code, never the URL', (_, message, code, reason) => {
    const error = Object.assign(new TypeError(message), {
      cause: Object.assign(new Error(`${code} https://x.logic.azure.com/?sig=secret`), { code }),
    });
    expect(networkFailure(error, 'Teams')).toEqual({ kind: 'failed', reason, permanent: false });
  });

  it('reads unreadable Retry-After values as absent', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('timeouts and token failures', () => {
  it('says "timed out" (and for how long) for an aborted request, and retries it', () => {
    expect(networkFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'Teams', 15_000)).toEqual({
      kind: 'failed',
      reason: 'timed out after 15 s',
      permanent: false,
    });
  });

  it('reads the Graph client error of a send that timed out or could not get a token', () => {
    // GraphErrorHandler.constructError: status -1, the underlying error's name as code, its text as body.
    const graphError = (code: string, message = '') =>
      Object.assign(new Error(message), { name: 'GraphError', statusCode: -1, code, body: 'https://x?sig=never' });
    expect(fromGraphError(graphError('TimeoutError'), 15_000)).toEqual({
      kind: 'failed',
      reason: 'Graph sendMail: timed out after 15 s',
      permanent: false,
    });
    expect(fromGraphError(graphError('AuthenticationError'))).toEqual({
      kind: 'failed',
      reason: 'Graph sendMail: Vigil could not get a Graph token (AuthenticationError)',
      permanent: false,
    });
    expect(fromGraphError(graphError('FetchError'))).toEqual({
      kind: 'failed',
      reason: 'Graph sendMail: the request to Graph failed (FetchError)',
      permanent: false,
    });
    // The mail client's handler wraps a fetch failure with any code but a bad request's (createMailGraphClient): one
    // that is not a connection's is the request's failure, read back from the message, and retried.
    const cutOff = new GraphUnansweredError('UND_ERR_HEADERS_OVERFLOW').message;
    expect(fromGraphError(graphError('GraphUnansweredError', cutOff))).toEqual({
      kind: 'failed',
      reason: 'Graph sendMail: the request to Graph failed (UND_ERR_HEADERS_OVERFLOW)',
      permanent: false,
    });
  });
});
