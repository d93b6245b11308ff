import type { FindingItem } from './apiSchemas.js';
import type { RotationBody, RotationChoices, RotationTarget } from './Command.js';

/**
 * The body of `POST /api/rotations`. For a finding: its app, the client secret it is about (to replace
 * and later remove), its tenant and the Key Vault copy Vigil found for it; a finding on anything else
 * than an app registration's client secret cannot be rotated by Vigil, and says so.
 */
export function toRotationBody(target: RotationTarget, choices: RotationChoices, finding?: FindingItem): RotationBody | { error: string } {
  const { tenantId, vaultSecretName, ...rest } = choices;
  if (target.kind === 'app') {
    if (!tenantId || !vaultSecretName) return { error: 'rotate needs --tenant and --secret' };
    return { tenantId, appId: target.appId, ...(target.keyId ? { keyId: target.keyId } : {}), vaultSecretName, ...rest };
  }
  if (!finding) return { error: `There is no current finding ${target.findingId}; \`vigil findings\` lists them.` };
  if (finding.credentialType !== 'password' || finding.subjectKind !== 'application' || !finding.appId)
    return { error: `${finding.id} is not an app registration's client secret: Vigil rotates only those.` };
  const secretName = vaultSecretName ?? finding.vaultCopy?.secretName;
  if (!secretName)
    return { error: `Vigil knows no Key Vault copy of ${finding.id}: name the secret that receives the new one with --secret.` };
  const vaultUrl = rest.vaultUrl ?? (vaultSecretName ? undefined : finding.vaultCopy?.vaultUrl);
  return {
    tenantId: tenantId ?? finding.tenantId,
    appId: finding.appId,
    keyId: finding.keyId,
    vaultSecretName: secretName,
    ...rest,
    ...(vaultUrl ? { vaultUrl } : {}),
  };
}
