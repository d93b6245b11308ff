import { Client } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { createAppTokenCredential } from '../../../shared/adapters/entra/createAppTokenCredential.js';
import { SignInTimeoutError } from '../../../shared/adapters/entra/signInUnavailable.js';
import { createGraphClient } from '../../../shared/adapters/graph/createGraphClient.js';
import { createSecretClient } from '../../../shared/adapters/keyVault/createSecretClient.js';
import { cloudEndpoints } from '../../../shared/cloud/cloudEndpoints.js';
import { describeError } from '../../../shared/helpers/describeError.js';

/** A port nothing listens on, with a query a description must never repeat. */
const REFUSED = 'https://127.0.0.1:1';
const SECRET_QUERY = 'sig=s3cr3t';
const aToken = { getToken: async () => ({ token: 'a-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

async function failureOf(request: () => Promise<unknown>): Promise<unknown> {
  try {
    await request();
  } catch (error) {
    return error;
  }
  throw new Error('the request succeeded');
}

describe('describeError for a request whose connection failed', () => {
  it('says the connection to Graph failed, with the socket code, where the Graph client gives status -1', async () => {
    const graph = createGraphClient(aToken, { ...cloudEndpoints.global, graph: REFUSED });
    const error = await failureOf(() => graph.api(`/applications?${SECRET_QUERY}`).get());
    expect(error).toMatchObject({ statusCode: -1 });
    expect(describeError(error)).toBe('the connection to Graph failed (ECONNREFUSED)');
  });

  it("says the connection to Entra's token endpoint failed when the sign-in before a Graph request could not connect", async () => {
    const credential = createAppTokenCredential({
      loginHost: REFUSED,
      clientId: 'b0000000-0000-4000-8000-000000000001',
      tenantId: 'a0000000-0000-4000-8000-000000000001',
      credential: { kind: 'clientSecret', secret: 's3cr3t' },
    });
    const graph = createGraphClient(credential, { ...cloudEndpoints.global, graph: 'https://graph.example' });
    const error = await failureOf(() => graph.api('/applications').get());
    expect(error).toMatchObject({ statusCode: -1 });
    expect(describeError(error)).toBe("the connection to Entra's token endpoint failed (ECONNREFUSED)");
  });

  it('says the connection failed, with the socket code, for an Azure SDK RestError with no status', async () => {
    const vault = createSecretClient(`${REFUSED}/`, aToken, { retryOptions: { maxRetries: 0 } });
    const error = await failureOf(() => vault.getSecret('refresh-token'));
    expect(error).toMatchObject({ name: 'RestError', statusCode: undefined });
    expect(describeError(error)).toBe('the connection failed (ECONNREFUSED)');
  });

  it('says a request Vigil could not make is a fault in Vigil or its settings, with its code, not a connection', () => {
    // The Azure SDK's node client gives Node's refusal to send a header its code (nodeHttpClient).
    const badHeader = Object.assign(new Error('Invalid character in header content ["x-ms-client-request-id"]'), {
      name: 'RestError',
      code: 'ERR_INVALID_CHAR',
    });
    expect(describeError(badHeader)).toBe('Vigil could not make its request (ERR_INVALID_CHAR): a fault in Vigil or its settings');
  });

  it('says who did not answer in time, never a class name, a status or the message', async () => {
    const signInTimedOut = Object.assign(new Error('Entra did not answer https://login.example/?sig=s3cr3t'), {
      statusCode: -1,
      code: 'SignInTimeoutError',
    });
    // Only a deadline is read back from the message; one that names none is said with the default's.
    expect(describeError(signInTimedOut)).toBe("Entra did not answer Vigil's sign-in within 30 s");
    const slowSignIn = { getToken: () => Promise.reject(new SignInTimeoutError(4_500)) };
    const graph = createGraphClient(slowSignIn, { ...cloudEndpoints.global, graph: 'https://graph.example' });
    expect(describeError(await failureOf(() => graph.api('/applications').get()))).toBe(
      "Entra did not answer Vigil's sign-in within 4.5 s",
    );
    // The node sender's deadline, as the Graph client keeps it: status -1, code AbortError.
    const deadline = Object.assign(new Error(`no answer within 300000 ms from ${REFUSED}/?${SECRET_QUERY}`), { name: 'AbortError' });
    const late = Client.initWithMiddleware({ middleware: { execute: () => Promise.reject(deadline) } });
    expect(describeError(await failureOf(() => late.api('/applications').get()))).toBe('did not answer in time');
    expect(describeError(Object.assign(new Error('no status line'), { name: 'RestError', statusCode: 0, code: 'PARSE_ERROR' }))).toBe(
      'PARSE_ERROR',
    );
  });

  it('says there was no answer, never an empty reason, for a Graph error that knows nothing else', async () => {
    // The Graph client's error for a rejection that is no Error: status -1, code null, an empty message.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    const graph = Client.initWithMiddleware({ middleware: { execute: () => Promise.reject(new Map()) } });
    const error = await failureOf(() => graph.api('/applications').get());
    expect(error).toMatchObject({ statusCode: -1, code: null, message: '' });
    expect(describeError(error)).toBe('no answer from the service');
    expect(describeError(new Error(''))).toBe('Error');
  });
});
