import { describe, expect, it } from 'vitest';
import { connectionUses } from '../../../shared/scanner/connectionUses.js';
import { CLIENT_ID, goodTags, VAULT_URL } from '../tokens/tokenTestData.js';

const secret = (name: string, tags: Record<string, string>) => ({ name, tags, enabled: true, expiresOn: undefined });

describe('connectionUses', () => {
  it('lists each connection under the client secret it names', () => {
    const uses = connectionUses(VAULT_URL, [
      secret('cerb-mailbox', goodTags()),
      secret('cerb-archive', { ...goodTags(), 'vigil-downstream': 'Archive' }),
      secret('cerb-client-secret', { 'vigil-app-id': CLIENT_ID }),
    ]);
    expect([...uses]).toEqual([
      [
        'cerb-client-secret',
        [
          { name: 'cerb-mailbox', clientId: CLIENT_ID, downstream: 'Cerb' },
          { name: 'cerb-archive', clientId: CLIENT_ID, downstream: 'Archive' },
        ],
      ],
    ]);
  });

  it.each([
    ['a client id that is not a GUID', { 'vigil-client-id': 'cerb' }],
    ['no scopes', { 'vigil-scopes': '' }],
    ['a certificate as well as a client secret', { 'vigil-client-certificate-name': 'cerb-certificate' }],
  ])('reads tags as the token keeper does: a connection with %s names nothing', (_name, change) => {
    expect(connectionUses(VAULT_URL, [secret('cerb-mailbox', { ...goodTags(), ...change })]).size).toBe(0);
  });
});
