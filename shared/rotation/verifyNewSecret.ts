import type { SecretProbeResult, RotationVault, TokenProbe } from './RotationPorts.js';
import type { VerifyingRotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';
import type { Sleep } from '../helpers/sleep.js';

/**
 * Waits before each token request: a new secret can take a while to replicate in Entra, so early
 * `invalid_client` answers are expected. About a minute per run; the state machine tries again in later runs.
 */
export const probeDelaysMs = [0, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * Reads the new secret back from Key Vault (the copy consumers will use, so this also checks the round
 * trip) and asks Entra for a `client_credentials` token with it. A probe Vigil could not make at all ends
 * the round at once, as a failed step (rolled back when it is for good), not as a secret Entra refused.
 */
export async function verifyNewSecret(
  rotation: VerifyingRotation,
  deps: { secrets: RotationVault; probe: TokenProbe; sleep: Sleep },
  delaysMs: readonly number[] = probeDelaysMs,
): Promise<StepOutcome> {
  const { vault } = rotation;
  const read = await deps.secrets.read(vault.url, vault.secretName, rotation.vaultVersion);
  if (read.kind === 'failed') return { kind: 'stepFailed', reason: read.reason, transient: read.transient };
  if (read.kind === 'notFound')
    return { kind: 'stepFailed', reason: `Key Vault version ${rotation.vaultVersion} of ${vault.secretName} is gone`, transient: false };
  let last: SecretProbeResult = { kind: 'unreachable', reason: 'not tried' };
  let tries = 0;
  for (const delay of delaysMs) {
    if (delay > 0) await deps.sleep(delay);
    tries += 1;
    last = await deps.probe.request(rotation.tenantId, rotation.application.appId, read.value);
    if (last.kind === 'accepted') return { kind: 'verified', tries };
    if (last.kind === 'failed') return { kind: 'stepFailed', reason: last.reason, transient: last.transient };
  }
  const reason =
    last.kind === 'rejected' ? `Entra refused the new secret (${last.code})` : `the token endpoint did not answer (${last.reason})`;
  return { kind: 'notVerified', reason, tries };
}
