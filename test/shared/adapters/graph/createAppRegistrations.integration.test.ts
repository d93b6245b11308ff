import { describe, expect, it } from 'vitest';
import { createAppRegistrations } from '../../../../shared/adapters/graph/createAppRegistrations.js';
import { createGraphClient } from '../../../../shared/adapters/graph/createGraphClient.js';
import { cloudEndpoints } from '../../../../shared/cloud/cloudEndpoints.js';

const aToken = { getToken: async () => ({ token: 'a-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('createAppRegistrations', () => {
  it('says the connection to Graph failed when it did, not a status Graph never gave', async () => {
    // A port nothing listens on: the connection is refused, and the Graph client's error has status -1.
    const graph = createGraphClient(aToken, { ...cloudEndpoints.global, graph: 'https://127.0.0.1:1' });
    const registrations = createAppRegistrations(async () => graph);
    expect(await registrations.redirectUris('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001')).toEqual({
      kind: 'unchecked',
      reason: 'Graph could not be asked: the connection to Graph failed (ECONNREFUSED)',
    });
  });
});
