import { describe, expect, it } from 'vitest';
import { createGraphMailSender } from '../../../../shared/adapters/mail/createGraphMailSender.js';
import { createMailGraphClient } from '../../../../shared/adapters/mail/createMailGraphClient.js';
import { cloudEndpoints } from '../../../../shared/cloud/cloudEndpoints.js';
import { closedPort } from '../http/closedPort.js';

const aToken = { getToken: async () => ({ token: 'a-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('createGraphMailSender', () => {
  it('says the connection to Graph failed, with the socket code, when it did, and tries again later', async () => {
    // The connection is refused: fetch's `TypeError: fetch failed` reaches the Graph client with no answer.
    const graph = createMailGraphClient(aToken, { ...cloudEndpoints.global, graph: `https://127.0.0.1:${await closedPort()}` });
    const mail = { to: ['oncall@contoso.example'], cc: [], subject: 'Vigil digest', html: '<p>digest</p>', text: 'digest' };
    expect(await createGraphMailSender(graph, 'vigil@contoso.example', 15_000).send(mail)).toEqual({
      kind: 'failed',
      reason: 'Graph sendMail: the connection to Graph failed (ECONNREFUSED)',
      permanent: false,
    });
  });
});
