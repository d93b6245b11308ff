import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { toTokenRefreshResult } from '../../../../shared/adapters/entra/toTokenRefreshResult.js';
import { classifyGraphError } from '../../../../shared/adapters/graph/classifyGraphError.js';
import { parseRetryAfter } from '../../../../shared/adapters/http/parseRetryAfter.js';
import { toChannelOutcome } from '../../../../shared/adapters/http/toChannelOutcome.js';
import { toVaultFailure } from '../../../../shared/adapters/keyVault/toVaultFailure.js';

describe('parseRetryAfter', () => {
  it('reads delay-seconds, whole or fractional, and HTTP dates', () => {
    expect(parseRetryAfter('3', Date.now())).toBe(3000);
    expect(parseRetryAfter('2.5', 0)).toBe(2500);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', Date.parse('2026-11-23T12:00:00Z'))).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
  });

  it('reads unreadable values as absent', () => {
    expect(parseRetryAfter('soon', Date.now())).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('-1', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('rounds a fraction of a millisecond up: never retry before the service said', () => {
    expect(parseRetryAfter('0.0004', 0)).toBe(1);
    expect(parseRetryAfter('2.1281', 0)).toBe(2129);
  });
});

/**
 * Graph sends fractional Retry-After (`2.128`, learn.microsoft.com/graph/throttling); Key Vault, Entra
 * and the notification channels whole seconds or dates. Every adapter that honours the header must read
 * each form to the same wait (the scanner once rounded up while the token and vault paths rounded).
 */
describe('every Vigil path reads Retry-After the same way', () => {
  const sites: Record<string, (header: string) => Promise<number | undefined>> = {
    'Graph directory reads (classifyGraphError)': async (header) => {
      const error = Object.assign(new GraphError(429, ''), { code: 'TooManyRequests', headers: new Headers({ 'retry-after': header }) });
      const verdict = classifyGraphError(error);
      return verdict.kind === 'retry' ? verdict.waitMs : undefined;
    },
    'token endpoint (toTokenRefreshResult)': async (header) => {
      const result = toTokenRefreshResult({ status: 429, header: (name) => (name === 'retry-after' ? header : undefined), body: {} }, 'r');
      return result.kind === 'rejected' ? result.retryAfterMs : undefined;
    },
    'Key Vault (toVaultFailure)': async (header) => {
      const request = createPipelineRequest({ url: 'https://vault.example/secrets' });
      const headers = createHttpHeaders({ 'retry-after': header });
      const failure = toVaultFailure(new RestError('throttled', { statusCode: 429, request, response: { status: 429, headers, request } }));
      return failure.kind === 'throttled' ? failure.retryAfterMs : undefined;
    },
    'Teams and webhooks (toChannelOutcome)': async (header) => {
      const outcome = toChannelOutcome(429, header, Date.now());
      return outcome.kind === 'retryAfter' ? outcome.ms : undefined;
    },
  };

  it.each(Object.keys(sites))('%s', async (site) => {
    const read = sites[site]!;
    expect(await read('2.128')).toBe(2128);
    expect(await read('3')).toBe(3000);
    expect(await read('0.0004')).toBe(1);
  });
});
