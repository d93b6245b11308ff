import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import type { VaultHealth, VaultProblem } from './VaultHealth.js';
import { VIGIL_AUTHENTICATION_FAILED } from '../vault/VaultFailure.js';

type Failing = Extract<VaultHealth, { status: 'failing' }>;

const fixOf = (problem: VaultProblem): string => {
  if (problem.missingRole)
    return `Give Vigil's identity the ${problem.missingRole} role on this vault (docs/deploy.md, "Watch another Key Vault").`;
  if (problem.code === 'VaultNotFound')
    return 'Check VIGIL_KEY_VAULT_URLS: this vault does not exist (or was deleted); recover it or remove the URL.';
  if (problem.code === VIGIL_AUTHENTICATION_FAILED)
    return "Check Vigil's identity: its managed identity (or app registration) could not get a Key Vault token.";
  if (problem.persistent) return 'Look at the vault: Key Vault rejects the listing as sent.';
  return "Nothing, if it passes; otherwise check the vault's network rules (firewall, private endpoint) and Azure status.";
};

const subject = (vaultUrl: string) => ({ kind: 'vault' as const, id: vaultUrl, displayName: new URL(vaultUrl).host });

/** "Could not check" for a vault reaches a person like a tenant that cannot be scanned. */
export function toVaultFailedEvent(health: Failing, homeTenantId: string, now: DateTime): VigilEvent {
  const { problem } = health;
  const role = problem.missingRole ? ` Missing role: ${problem.missingRole}.` : '';
  return newEvent(
    {
      type: 'vault.failed',
      tenantId: homeTenantId,
      subject: subject(health.vaultUrl),
      severity: 'high',
      summary: `Vigil could not list Key Vault ${new URL(health.vaultUrl).host}: ${problem.reason}.${role}`,
      impact:
        'The token connections in this vault are neither refreshed nor checked, and expiring secrets and credential copies in it go unnoticed. This is not an all-clear.',
      fix: fixOf(problem),
      // One situation: this problem since the last good listing, whichever planner saw it and however often.
      dedupeKey: `vault.failed|${health.vaultUrl}|${problem.code}|${health.lastSuccessAt ?? 'never listed'}`,
      data: {
        vaultUrl: health.vaultUrl,
        reason: problem.reason,
        code: problem.code,
        ...(problem.missingRole ? { missingRole: problem.missingRole } : {}),
        since: health.failingSince,
        consecutiveFailures: health.consecutiveFailures,
      },
    },
    now,
  );
}

export function toVaultRecoveredEvent(previous: Failing, homeTenantId: string, now: DateTime): VigilEvent {
  return newEvent(
    {
      type: 'vault.recovered',
      tenantId: homeTenantId,
      subject: subject(previous.vaultUrl),
      severity: 'info',
      summary: `Vigil can list Key Vault ${new URL(previous.vaultUrl).host} again.`,
      dedupeKey: `vault.recovered|${previous.vaultUrl}|${previous.failingSince}`,
      data: { vaultUrl: previous.vaultUrl, failedSince: previous.failingSince },
    },
    now,
  );
}
