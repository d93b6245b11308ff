import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ConnectionItem } from '../../../cli/apiSchemas.js';
import { toConnectionLines } from '../../../cli/format/toConnectionLines.js';

const now = DateTime.fromISO('2026-12-04T10:00:00Z', { zone: 'utc' });
const connection = (over: Partial<ConnectionItem>): ConnectionItem => ({
  name: 'cerb-mailbox',
  vaultUrl: 'https://kv-vigil.vault.azure.net/',
  status: 'healthy',
  expectedLapse: '2027-03-04T10:00:00.000Z',
  whoMustAct: null,
  nextAction: 'probe after 2026-12-05 10:00 UTC',
  ...over,
});

describe('toConnectionLines', () => {
  it('lists failing connections first, with when each stops and who must act', () => {
    const failing = connection({
      name: 'uipath-mailbox',
      status: 'failing',
      expectedLapse: '2026-12-01T00:00:00.000Z',
      whoMustAct: 'shipping@contoso.com',
      nextAction: 'sign in again at the link Vigil sent',
    });
    const revoked = connection({
      name: 'crm-mailbox',
      status: 'failing',
      expectedLapse: null,
      whoMustAct: 'ops',
      nextAction: 'ops signs in again',
    });
    expect(toConnectionLines([connection({}), failing, revoked], now)).toEqual([
      'STATUS   NAME            STOPS                 VAULT                     NEXT',
      'failing  uipath-mailbox  2026-12-01 (lapsed)   kv-vigil.vault.azure.net  shipping@contoso.com must act: sign in again at the link Vigil sent',
      'failing  crm-mailbox     —                     kv-vigil.vault.azure.net  ops signs in again',
      'healthy  cerb-mailbox    2027-03-04 (90 days)  kv-vigil.vault.azure.net  probe after 2026-12-05 10:00 UTC',
    ]);
  });
});
