import { describe, expect, it } from 'vitest';
import { requestFailed, socketCodeOf } from '../../../shared/helpers/socketCodeOf.js';

const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
const coded = (code: string) => Object.assign(new Error(`${code} https://x.logic.azure.com/?sig=s3cr3t`), { code });
const truncated = Object.assign(new TypeError('terminated'), { cause: coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH') });

describe('socketCodeOf', () => {
  it.each([
    ['a refused connection, as fetch gives it', fetchFailed(coded('ECONNREFUSED')), 'ECONNREFUSED'],
    ['a closed socket, as undici names it', fetchFailed(coded('UND_ERR_SOCKET')), 'UND_ERR_SOCKET'],
    ['a TLS failure, as node:https gives it', coded('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'],
    ['a certificate refused', coded('CERT_HAS_EXPIRED'), 'CERT_HAS_EXPIRED'],
    ['an answer cut short, as fetch gives it for a body', truncated, 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'],
    ["an answer's headers too large for undici", fetchFailed(coded('UND_ERR_HEADERS_OVERFLOW')), 'UND_ERR_HEADERS_OVERFLOW'],
    ['a stream closed before its end, as Node gives it', coded('ERR_STREAM_PREMATURE_CLOSE'), 'ERR_STREAM_PREMATURE_CLOSE'],
  ])('reads the code of %s', (_, error, code) => expect(socketCodeOf(error)).toBe(code));

  it.each([
    ["undici's for an argument it will not take", fetchFailed(coded('UND_ERR_INVALID_ARG'))],
    ["Node's for a URL that does not parse", coded('ERR_INVALID_URL')],
    ["undici's for a body that does not match its length", fetchFailed(coded('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH'))],
    ["fetch's blocked port, which has none", fetchFailed(new Error('bad port'))],
    ['one that is no code', fetchFailed({ code: 'connect https://x/?sig=s3cr3t' })],
  ])('reads no code from %s: a request Vigil made wrong, or no code to read', (_, error) => expect(socketCodeOf(error)).toBeUndefined());

  it.each([
    ['ECONNRESET', 'the connection to Teams failed (ECONNRESET)'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'the connection to Teams failed (ERR_TLS_CERT_ALTNAME_INVALID)'],
    ['ERR_SOCKET_CONNECTION_TIMEOUT', 'the connection to Teams failed (ERR_SOCKET_CONNECTION_TIMEOUT)'],
    ['UND_ERR_PRX_TLS', 'the connection to Teams failed (UND_ERR_PRX_TLS)'],
    // Certificate checks Node's TLS docs list, and a socket closed while connecting.
    ['INVALID_CA', 'the connection to Teams failed (INVALID_CA)'],
    ['PATH_LENGTH_EXCEEDED', 'the connection to Teams failed (PATH_LENGTH_EXCEEDED)'],
    ['INVALID_PURPOSE', 'the connection to Teams failed (INVALID_PURPOSE)'],
    ['CRL_HAS_EXPIRED', 'the connection to Teams failed (CRL_HAS_EXPIRED)'],
    ['ERR_SOCKET_CLOSED_BEFORE_CONNECTION', 'the connection to Teams failed (ERR_SOCKET_CLOSED_BEFORE_CONNECTION)'],
    [undefined, 'the connection to Teams failed'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'the request to Teams failed (UND_ERR_RES_CONTENT_LENGTH_MISMATCH)'],
    ['ERR_STREAM_PREMATURE_CLOSE', 'the request to Teams failed (ERR_STREAM_PREMATURE_CLOSE)'],
  ])("says a request with %s got no answer as a connection only for a connection's code", (code, words) =>
    expect(requestFailed('Teams', code)).toBe(words),
  );
});
