import type { AccessToken, GetTokenOptions } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { withSharedToken } from '../../../../shared/adapters/azure/withSharedToken.js';

const MINUTE = 60_000;

/** A credential that answers each request with a numbered token valid for an hour from `clock.now`, or refuses while `refusing`. */
function countingCredential(clock: { now: number }, answer: Partial<AccessToken> = {}) {
  const state = { asked: 0, refusing: false };
  const credential = {
    getToken: (_scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> => {
      state.asked++;
      if (state.refusing) return Promise.reject(new Error('refused'));
      return Promise.resolve({ token: `token-${state.asked}`, expiresOnTimestamp: clock.now + 60 * MINUTE, ...answer });
    },
  };
  return { credential, state };
}

describe('withSharedToken', () => {
  it('asks once for callers at the same time and for later ones until 5 minutes before the token ends (when MSAL would ask again)', async () => {
    const clock = { now: 1_000_000 };
    const { credential, state } = countingCredential(clock);
    const shared = withSharedToken(credential, () => clock.now);
    const together = await Promise.all([shared.getToken('graph'), shared.getToken('graph')]);
    expect(together.map((t) => t?.token)).toEqual(['token-1', 'token-1']);
    clock.now += 54 * MINUTE;
    expect((await shared.getToken('graph'))?.token).toBe('token-1');
    clock.now += 1 * MINUTE + 1;
    expect((await shared.getToken('graph'))?.token).toBe('token-2');
    expect(state.asked).toBe(2);
  });

  it('asks again once the token says it should be refreshed', async () => {
    const clock = { now: 1_000_000 };
    const { credential, state } = countingCredential(clock, { refreshAfterTimestamp: clock.now + 30 * MINUTE });
    const shared = withSharedToken(credential, () => clock.now);
    await shared.getToken('graph');
    clock.now += 30 * MINUTE;
    expect((await shared.getToken('graph'))?.token).toBe('token-2');
    expect(state.asked).toBe(2);
  });

  it('keeps no failure: the next caller asks again', async () => {
    const clock = { now: 1_000_000 };
    const { credential, state } = countingCredential(clock);
    const shared = withSharedToken(credential, () => clock.now);
    state.refusing = true;
    await expect(shared.getToken('graph')).rejects.toThrow('refused');
    state.refusing = false;
    expect((await shared.getToken('graph'))?.token).toBe('token-2');
  });

  it('keeps a token per scope, and leaves requests with claims or a tenant of their own to the credential', async () => {
    const clock = { now: 1_000_000 };
    const { credential, state } = countingCredential(clock);
    const shared = withSharedToken(credential, () => clock.now);
    await shared.getToken('graph');
    await shared.getToken('vault');
    await shared.getToken('graph', { tenantId: 'other' });
    await shared.getToken(['graph']);
    expect(state.asked).toBe(3);
  });

  it('forgets its kept tokens on a claims challenge, so no later caller is handed the refused token', async () => {
    const clock = { now: 1_000_000 };
    const { credential, state } = countingCredential(clock);
    const shared = withSharedToken(credential, () => clock.now);
    expect((await shared.getToken('graph'))?.token).toBe('token-1');
    expect((await shared.getToken('graph', { claims: 'challenge' }))?.token).toBe('token-2');
    expect((await shared.getToken('graph'))?.token).toBe('token-3');
    expect(state.asked).toBe(3);
  });
});
