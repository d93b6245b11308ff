import { describe, expect, it } from 'vitest';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { toCredentialEvent } from '../../../shared/scanner/toCredentialEvent.js';
import type { ConnectionState } from '../../../shared/tokens/ConnectionState.js';
import { toMisconfiguredEvent, toRemovedEvent } from '../../../shared/tokens/toConnectionEvents.js';
import { NOW, facts, inDays, policy, target } from '../scanner/scannerFixtures.js';
import { TENANT_ID, VAULT_URL } from '../tokens/tokenTestData.js';

describe('closing events', () => {
  it('close the very finding the credential opened: its lapse, or its stale leftover', () => {
    const expiring = evaluateCredential(facts({ endDateTime: inDays(5) }), policy, NOW)!;
    const stale = evaluateCredential(
      facts({ endDateTime: inDays(-40), outlivedBy: { keyId: 'new', endDateTime: inDays(300) } }),
      policy,
      NOW,
    )!;
    for (const [finding, opening] of [
      [expiring, 'credential.expiring'],
      [stale, 'credential.stale'],
    ] as const) {
      const opened = findingOf(toCredentialEvent({ type: opening, finding }, target, NOW));
      const removed = findingOf(toCredentialEvent({ type: 'credential.removed', finding, objectDeleted: false }, target, NOW));
      expect(removed).toEqual({ ...opened, role: 'closes' });
      expect(opened.role).toBe('opens');
    }
  });

  it('close a token connection whose secret was deleted under the key its failure opened', () => {
    const state: ConnectionState = {
      vaultUrl: VAULT_URL,
      name: 'broken-mailbox',
      status: 'misconfigured',
      consecutiveFailures: 0,
      problems: ['vigil-tenant: is missing'],
    };
    const opened = findingOf(toMisconfiguredEvent(state, TENANT_ID, NOW));
    expect(findingOf(toRemovedEvent(state, TENANT_ID, NOW))).toEqual({ ...opened, role: 'closes' });
  });
});
