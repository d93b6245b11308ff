import { describe, expect, it } from 'vitest';
import { columnsOfState, toConnectionRow } from '../../../../shared/adapters/storage/connectionTable.js';
import type { ConnectionState } from '../../../../shared/tokens/ConnectionState.js';

const base = { vaultUrl: 'https://vigil-tokens.vault.azure.net', name: 'cerb-mailbox', consecutiveFailures: 0 } as const;
const states: Record<string, ConnectionState> = {
  'a new healthy connection': { ...base, status: 'healthy', lastAttempt: '2026-11-23T06:00:00.000Z' },
  'a healthy one with fields set to undefined': { ...base, status: 'healthy', tenant: undefined, owner: 'ops@contoso.com' },
  'a failing one with its client secret and finding': {
    ...base,
    status: 'failing',
    consecutiveFailures: 2,
    failureClass: 'revoked',
    failingSince: '2026-11-22T06:00:00.000Z',
    lastErrorCode: 'invalid_grant',
    whoMustAct: 'the mailbox owner',
    remediation: 'sign in again',
    alertedClass: 'revoked',
    clientSecret: { kind: 'clientSecret', name: 'cerb-client-secret', appId: null, keyId: null, endDateTime: null },
    linkedFinding: {
      findingId: 'f-1',
      tenantId: 't-1',
      objectId: 'o-1',
      keyId: 'k-1',
      subjectName: 'Cerberus',
      endDateTime: '2026-11-20T00:00:00.000Z',
      status: 'expired',
    },
  },
  'a misconfigured one': { ...base, status: 'misconfigured', problems: ['no vigil-client-id tag'] },
};

describe("the connection table's column rule", () => {
  it.each(Object.entries(states))(
    'names exactly the state columns toConnectionRow writes, so a planned row is never judged to hold stray columns: %s',
    (_, state) => {
      const written = Object.keys(toConnectionRow(state)).filter((column) => column !== 'partitionKey' && column !== 'rowKey');
      expect([...columnsOfState(state)].sort()).toEqual(written.sort());
    },
  );
});
