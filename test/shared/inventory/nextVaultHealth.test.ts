import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checked, unchecked } from '../../../shared/helpers/CheckOutcome.js';
import { nextVaultHealth, type VaultNotice } from '../../../shared/inventory/nextVaultHealth.js';
import type { VaultCheck, VaultHealth } from '../../../shared/inventory/VaultHealth.js';
import type { VaultFailure } from '../../../shared/vault/VaultFailure.js';

const VAULT = 'https://contoso-vigil.vault.azure.net';
const T0 = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const policy = { transientAlertAttempts: 3, transientAlertSpan: Duration.fromObject({ hours: 6 }) };
const ok: VaultCheck = { vaultUrl: VAULT, outcome: checked({ secrets: 12 }) };
const failed = (failure: VaultFailure): VaultCheck => ({ vaultUrl: VAULT, outcome: unchecked('Key Vault failed'), failure });
const forbidden = failed({ kind: 'forbidden', code: 'ForbiddenByRbac' });
const outage = failed({ kind: 'unavailable', status: 503, code: 'ServiceUnavailable' });

/** Runs checks at the given hours after T0; returns the notices and the last health. */
function run(
  steps: Array<[hours: number, check: VaultCheck]>,
  start?: VaultHealth,
): { notices: VaultNotice[]; health: VaultHealth | undefined } {
  let health = start;
  const notices: VaultNotice[] = [];
  for (const [hours, check] of steps) {
    const next = nextVaultHealth(health, check, T0.plus({ hours }), policy);
    health = next.health;
    notices.push(next.notice);
  }
  return { notices, health };
}

describe('nextVaultHealth', () => {
  it('alerts a refused role at once, names the role, says it once, and recovers once', () => {
    const { notices, health } = run([
      [0, ok],
      [1, forbidden],
      [1, forbidden],
      [2, forbidden],
      [3, ok],
      [4, ok],
    ]);
    expect(notices).toEqual([undefined, 'failed', undefined, undefined, 'recovered', undefined]);
    expect(health).toEqual({
      status: 'ok',
      vaultUrl: VAULT,
      lastCheckedAt: '2026-11-23T10:00:00.000Z',
      lastSuccessAt: '2026-11-23T10:00:00.000Z',
      secrets: 12,
    });
    expect(
      run([
        [0, ok],
        [1, forbidden],
      ]).health,
    ).toMatchObject({
      status: 'failing',
      secrets: 12,
      lastSuccessAt: '2026-11-23T06:00:00.000Z',
      failingSince: '2026-11-23T07:00:00.000Z',
      problem: { code: 'ForbiddenByRbac', persistent: true, missingRole: 'Key Vault Secrets Officer' },
      alertedCode: 'ForbiddenByRbac',
    });
  });

  it('does not alert one blip, and says nothing when it passes', () => {
    expect(
      run([
        [0, outage],
        [1, ok],
      ]).notices,
    ).toEqual([undefined, undefined]);
  });

  it('alerts an outage once it failed three listings in a row over six hours, well within a day', () => {
    const hourly = Array.from({ length: 8 }, (_, h): [number, VaultCheck] => [h, outage]);
    const { notices } = run([...hourly, [8, ok]]);
    expect(notices.indexOf('failed')).toBe(6);
    expect(notices.filter((n) => n === 'failed')).toHaveLength(1);
    expect(notices.at(-1)).toBe('recovered');
  });

  it('alerts again when a transient problem turns into a refusal', () => {
    expect(
      run([
        [0, outage],
        [1, forbidden],
      ]).notices,
    ).toEqual([undefined, 'failed']);
  });
});
