import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { classifyGraphError } from '../../../../shared/adapters/graph/classifyGraphError.js';
import { SignInTimeoutError, SignInUnansweredError } from '../../../../shared/adapters/entra/signInUnavailable.js';

const graphError = (status: number, code: string, headers: Record<string, string> = {}, message = '') =>
  Object.assign(new GraphError(status, message), { code, headers: new Headers(headers) });

describe('classifyGraphError', () => {
  it.each([
    [graphError(429, 'TooManyRequests', { 'retry-after': '2.128' }), { kind: 'retry', status: 429, waitMs: 2128 }],
    [graphError(503, 'ServiceUnavailable'), { kind: 'retry', status: 503, waitMs: undefined }],
    [graphError(400, 'syncStateNotFound'), { kind: 'deltaRefused', reason: 'HTTP 400 syncStateNotFound' }],
    [graphError(410, 'resyncRequired'), { kind: 'deltaRefused', reason: 'HTTP 410 resyncRequired' }],
    [
      graphError(403, 'Authorization_RequestDenied'),
      {
        kind: 'failed',
        failure: {
          code: 'forbidden',
          reason: 'Graph refused to list applications (HTTP 403 Authorization_RequestDenied)',
          missingPermission: 'Application.Read.All',
        },
        status: 403,
        serviceCode: 'Authorization_RequestDenied',
      },
    ],
    [
      graphError(401, 'InvalidAuthenticationToken'),
      {
        kind: 'failed',
        failure: { code: 'authentication', reason: "Graph rejected Vigil's access token (HTTP 401 InvalidAuthenticationToken)" },
        status: 401,
        serviceCode: 'InvalidAuthenticationToken',
      },
    ],
    [
      graphError(
        -1,
        'AuthenticationError',
        {},
        'ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.',
      ),
      { kind: 'failed', failure: { code: 'authentication', reason: 'sign-in to the tenant failed (AADSTS7000215)' } },
    ],
    [
      // A token-endpoint storm is an outage, not a wrong credential: @azure/identity's AuthenticationError message.
      graphError(-1, 'AuthenticationError', {}, 'unknown_error Status code: 429\nMore details:\nAn unknown error has occurred.,'),
      {
        kind: 'failed',
        failure: {
          code: 'signInUnavailable',
          reason: "Entra's token endpoint would not give Vigil a token for the tenant (HTTP 429: throttled)",
        },
      },
    ],
    [
      // A sign-in as an app past its deadline (createAppTokenCredential): an outage to report, not a connection to retry.
      graphError(-1, 'SignInTimeoutError', {}, "Entra did not answer Vigil's sign-in within 30 s"),
      { kind: 'failed', failure: { code: 'signInUnavailable', reason: "Entra did not answer Vigil's sign-in to the tenant within 30 s" } },
    ],
    [
      // Its own deadline, not the default's, and in ms under a second (not "0 s").
      graphError(-1, 'SignInTimeoutError', {}, new SignInTimeoutError(300).message),
      {
        kind: 'failed',
        failure: { code: 'signInUnavailable', reason: "Entra did not answer Vigil's sign-in to the tenant within 300 ms" },
      },
    ],
    [
      graphError(-1, 'SignInTimeoutError', {}, new SignInTimeoutError(4_500).message),
      { kind: 'failed', failure: { code: 'signInUnavailable', reason: "Entra did not answer Vigil's sign-in to the tenant within 4.5 s" } },
    ],
    [
      // Entra's token endpoint not reached, twice (createAppTokenCredential): an outage, said as such.
      graphError(-1, 'SignInUnansweredError', {}, new SignInUnansweredError('ECONNRESET').message),
      {
        kind: 'failed',
        failure: {
          code: 'signInUnavailable',
          reason: "Vigil could not reach Entra's token endpoint to sign in to the tenant (ECONNRESET)",
        },
      },
    ],
    [
      // TLS codes have digits.
      graphError(-1, 'SignInUnansweredError', {}, new SignInUnansweredError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED').message),
      {
        kind: 'failed',
        failure: {
          code: 'signInUnavailable',
          reason: "Vigil could not reach Entra's token endpoint to sign in to the tenant (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)",
        },
      },
    ],
    [
      // An answer Node could not parse: no connection that failed, so not "could not reach".
      graphError(-1, 'SignInUnansweredError', {}, new SignInUnansweredError('HPE_INVALID_CONSTANT').message),
      {
        kind: 'failed',
        failure: {
          code: 'signInUnavailable',
          reason: "Vigil's request to Entra's token endpoint to sign in to the tenant failed (HPE_INVALID_CONSTANT)",
        },
      },
    ],
    [graphError(-1, 'Error', {}, 'read ECONNRESET'), { kind: 'retry', status: -1, waitMs: undefined }],
    [graphError(-1, 'AbortError', {}, 'no answer within 300000 ms'), { kind: 'retry', status: -1, waitMs: undefined }],
    [
      // Node's own, not wrapped by the Graph client.
      Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' }),
      {
        kind: 'failed',
        failure: {
          code: 'vigilFault',
          reason: "Vigil could not make its request to the tenant (ERR_INVALID_URL): a fault in Vigil or its settings, not Graph's",
        },
      },
    ],
    [
      // A bug of Vigil's own thrown past the Graph client: a name, and no code.
      new TypeError("Cannot read properties of undefined (reading 'value')"),
      {
        kind: 'failed',
        failure: {
          code: 'vigilFault',
          reason: "Vigil could not make its request to the tenant (TypeError): a fault in Vigil or its settings, not Graph's",
        },
      },
    ],
    // An answer's status outside 200–599 (fetch's Response refuses it) or memory pressure: not Vigil's fault.
    [
      graphError(-1, 'RangeError', {}, 'init["status"] must be in the range of 200 to 599, inclusive.'),
      { kind: 'retry', status: -1, waitMs: undefined },
    ],
    [
      graphError(-1, 'TypeError', {}, 'Invalid URL: https://login.example/secret?x'),
      {
        kind: 'failed',
        failure: {
          code: 'vigilFault',
          reason: "Vigil could not make its request to the tenant (TypeError): a fault in Vigil or its settings, not Graph's",
        },
      },
    ],
    [graphError(500, 'InternalServerError'), { kind: 'retry', status: 500, waitMs: undefined }],
    [graphError(502, 'BadGateway', { 'retry-after': '4' }), { kind: 'retry', status: 502, waitMs: 4000 }],
    [
      graphError(501, 'NotImplemented'),
      {
        kind: 'failed',
        failure: { code: 'incomplete', reason: 'Graph answered HTTP 501 NotImplemented' },
        status: 501,
        serviceCode: 'NotImplemented',
      },
    ],
  ])('%#', (error, expected) => expect(classifyGraphError(error)).toEqual(expected));
});
