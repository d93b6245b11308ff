import { describe, expect, it } from 'vitest';
import { socketCodeOf } from '../../../../shared/adapters/http/socketCodeOf.js';

const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
const coded = (code: string) => Object.assign(new Error(`${code} https://x.logic.azure.com/?sig=s3cr3t`), { code });

describe('socketCodeOf', () => {
  it.each([
    ['a refused connection, as fetch gives it', fetchFailed(coded('ECONNREFUSED')), 'ECONNREFUSED'],
    ['a closed socket, as undici names it', fetchFailed(coded('UND_ERR_SOCKET')), 'UND_ERR_SOCKET'],
    ['a TLS failure, as node:https gives it', coded('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'],
    ['a certificate refused', coded('CERT_HAS_EXPIRED'), 'CERT_HAS_EXPIRED'],
  ])('reads the code of %s', (_, error, code) => expect(socketCodeOf(error)).toBe(code));

  it.each([
    ["undici's for an argument it will not take", fetchFailed(coded('UND_ERR_INVALID_ARG'))],
    ["Node's for a URL that does not parse", coded('ERR_INVALID_URL')],
    ["fetch's blocked port, which has none", fetchFailed(new Error('bad port'))],
    ['one that is no code', fetchFailed({ code: 'connect https://x/?sig=s3cr3t' })],
  ])('finds no connection that failed in %s', (_, error) => expect(socketCodeOf(error)).toBeUndefined());
});
