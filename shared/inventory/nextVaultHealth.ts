import type { DateTime } from 'luxon';
import { toVaultProblem } from './toVaultProblem.js';
import type { VaultCheck, VaultHealth, VaultHealthPolicy } from './VaultHealth.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/** Which event a check calls for: `vault.failed`, `vault.recovered`, or nothing. */
export type VaultNotice = 'failed' | 'recovered' | undefined;

/**
 * A vault's health after one listing, and whether to tell anyone, with the token keeper's discipline:
 * a persistent problem (a refused role, no such vault) alerts at once, once per streak and problem; a
 * transient one (throttling, an outage) only once `transientAlertAttempts` listings in a row failed
 * over at least `transientAlertSpan` (3 over 6 h by default: planners list hourly, so well within a
 * day, and never for one blip). A listing that works after an alert is a recovery.
 */
export function nextVaultHealth(
  previous: VaultHealth | undefined,
  check: VaultCheck,
  now: DateTime,
  policy: VaultHealthPolicy,
): { health: VaultHealth; notice: VaultNotice } {
  const at = toIsoUtc(now);
  if (check.outcome.kind === 'checked') {
    const health: VaultHealth = {
      status: 'ok',
      vaultUrl: check.vaultUrl,
      lastCheckedAt: at,
      lastSuccessAt: at,
      secrets: check.outcome.value.secrets,
    };
    return { health, notice: previous?.status === 'failing' && previous.alertedCode ? 'recovered' : undefined };
  }
  const problem = toVaultProblem(check.failure, check.outcome.reason);
  const streak = previous?.status === 'failing' ? previous : undefined;
  const consecutiveFailures = (streak?.consecutiveFailures ?? 0) + 1;
  const failingSince = streak?.failingSince ?? at;
  const persisted =
    consecutiveFailures >= policy.transientAlertAttempts &&
    now.toMillis() - Date.parse(failingSince) >= policy.transientAlertSpan.toMillis();
  const alert = problem.persistent ? streak?.alertedCode !== problem.code : persisted && !streak?.alertedCode;
  const health: VaultHealth = {
    status: 'failing',
    vaultUrl: check.vaultUrl,
    lastCheckedAt: at,
    lastSuccessAt: previous?.lastSuccessAt,
    secrets: previous?.secrets,
    failingSince,
    consecutiveFailures,
    problem,
    alertedCode: alert ? problem.code : streak?.alertedCode,
  };
  return { health, notice: alert ? 'failed' : undefined };
}
