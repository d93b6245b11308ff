import { describe, expect, it } from 'vitest';
import type { ChannelSecrets } from '../../../../shared/adapters/keyVault/createSecretCache.js';
import { createTeamsPoster } from '../../../../shared/adapters/teams/createTeamsPoster.js';
import { closedPort } from '../http/closedPort.js';

/** A Workflow URL whose `sig=` is the credential: no delivery log line may repeat any of it. */
const teamsAt = (port: number): ChannelSecrets => ({
  get: async () => ({ kind: 'current', value: `https://127.0.0.1:${port}/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t` }),
});
const post = (secrets: ChannelSecrets) =>
  createTeamsPoster(secrets, 5_000).post({ name: 'ops', urlSecretName: 'teams-url' }, { text: 'x' });

describe('createTeamsPoster when no answer comes', () => {
  it('says the connection to Teams failed, with the socket code and never the URL, and tries again later', async () => {
    expect(await post(teamsAt(await closedPort()))).toEqual({
      kind: 'failed',
      reason: 'the connection to Teams failed (ECONNREFUSED)',
      permanent: false,
    });
  });

  it('calls a request fetch will not make (a "bad port") a fault, not a connection that failed', async () => {
    expect(await post(teamsAt(1))).toEqual({
      kind: 'failed',
      reason: 'Vigil could not make its request to Teams (TypeError): a fault in Vigil or its settings',
      permanent: false,
    });
  });
});
