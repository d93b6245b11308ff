import type { AccessToken, GetTokenOptions } from '@azure/identity';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstSignInAlone, SignInTimeoutError } from '../../../../shared/adapters/azure/firstSignInAlone.js';

/** A credential whose answers the test releases one by one, recording which tenant each request was for. */
function heldCredential() {
  const asked: Array<string | undefined> = [];
  const pending: Array<{ tenantId: string | undefined; answer: (ok: boolean) => void }> = [];
  const credential = {
    getToken: (_scopes: string | string[], options?: GetTokenOptions) => {
      asked.push(options?.tenantId);
      return new Promise<AccessToken>((resolve, reject) =>
        pending.push({
          tenantId: options?.tenantId,
          answer: (ok) => (ok ? resolve({ token: `token-${options?.tenantId}`, expiresOnTimestamp: 0 }) : reject(new Error('refused'))),
        }),
      );
    },
  };
  return { credential, asked, pending };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('firstSignInAlone', () => {
  it('sends the others only once the first has its answer, then all at once', async () => {
    const { credential, asked, pending } = heldCredential();
    const shared = firstSignInAlone(credential);
    const tokens = ['a', 'b', 'c'].map((tenantId) => shared.getToken('scope', { tenantId }));
    await settle();
    expect(asked).toEqual(['a']);
    pending[0]!.answer(true);
    await settle();
    expect(asked).toEqual(['a', 'b', 'c']);
    for (const p of pending.slice(1)) p.answer(true);
    expect((await Promise.all(tokens)).map((t) => t?.token)).toEqual(['token-a', 'token-b', 'token-c']);
  });

  it('lets the others go after a refused first request, which its caller alone sees', async () => {
    const { credential, asked, pending } = heldCredential();
    const shared = firstSignInAlone(credential);
    const first = shared.getToken('scope', { tenantId: 'a' });
    const second = shared.getToken('scope', { tenantId: 'b' });
    pending[0]!.answer(false);
    await expect(first).rejects.toThrow('refused');
    await settle();
    expect(asked).toEqual(['a', 'b']);
    pending[1]!.answer(true);
    expect((await second)?.token).toBe('token-b');
  });

  it('holds the others no longer than its deadline, telling the first caller why, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { credential, asked, pending } = heldCredential();
    const shared = firstSignInAlone(credential, 30_000);
    const first = shared.getToken('scope', { tenantId: 'a' });
    const refused = expect(first).rejects.toThrow(SignInTimeoutError);
    const second = shared.getToken('scope', { tenantId: 'b' });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(asked).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    await refused;
    expect(asked).toEqual(['a', 'b']);
    pending[1]!.answer(true);
    expect((await second)?.token).toBe('token-b');
    pending[0]!.answer(false); // the late answer of the first has no one to tell
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its deadline once the first answers in time', async () => {
    vi.useFakeTimers();
    const { credential, pending } = heldCredential();
    const first = firstSignInAlone(credential, 30_000).getToken('scope', { tenantId: 'a' });
    pending[0]!.answer(true);
    expect((await first)?.token).toBe('token-a');
    expect(vi.getTimerCount()).toBe(0);
  });
});

afterEach(() => vi.useRealTimers());
