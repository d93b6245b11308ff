import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createGraphMailSender } from '../../../../shared/adapters/mail/createGraphMailSender.js';
import { createMailGraphClient } from '../../../../shared/adapters/mail/createMailGraphClient.js';
import { SignInTimeoutError } from '../../../../shared/adapters/entra/signInUnavailable.js';
import { cloudEndpoints } from '../../../../shared/cloud/cloudEndpoints.js';
import { closedPort } from '../http/closedPort.js';

const aToken = { getToken: async () => ({ token: 'a-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

const mail = { to: ['oncall@contoso.example'], cc: [], subject: 'Vigil digest', html: '<p>digest</p>', text: 'digest' };

/** What one digest sent through the real mail client to `graph`, signed in with `credential`, comes to. */
async function sendTo(graph: string, credential: TokenCredential = aToken) {
  const client = createMailGraphClient(credential, { ...cloudEndpoints.global, graph });
  return createGraphMailSender(client, 'vigil@contoso.example', 15_000).send(mail);
}

/** A send that failed for now, to be tried again later, with what the delivery log says. */
const triedAgain = (reason: string) => ({ kind: 'failed', reason, permanent: false });

describe('createGraphMailSender', () => {
  it('says the connection to Graph failed, with the socket code, when it did, and tries again later', async () => {
    // The connection is refused: fetch's `TypeError: fetch failed` reaches the Graph client with no answer.
    expect(await sendTo(`https://127.0.0.1:${await closedPort()}`)).toEqual(
      triedAgain('Graph sendMail: the connection to Graph failed (ECONNREFUSED)'),
    );
  });

  it('says Entra did not answer the sign-in in time, not a class name, when the token for the send timed out', async () => {
    const slowSignIn = { getToken: () => Promise.reject(new SignInTimeoutError(30_000)) };
    expect(await sendTo(`https://127.0.0.1:${await closedPort()}`, slowSignIn)).toEqual(
      triedAgain("Graph sendMail: Entra did not answer Vigil's sign-in within 30 s"),
    );
  });

  it('calls a send that fetch would not make (a blocked port) a fault, not a connection that failed', async () => {
    // fetch refuses port 1 before connecting ("bad port"): `TypeError: fetch failed` with no socket's code.
    expect(await sendTo('https://127.0.0.1:1')).toEqual(
      triedAgain('Graph sendMail: Vigil could not make its request to Graph (TypeError): a fault in Vigil or its settings'),
    );
  });
});
