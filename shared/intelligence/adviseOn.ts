import type { Finding } from '../scanner/Finding.js';
import type { Advice } from './Advice.js';
import type { CredentialUsage } from './CredentialUsage.js';
import type { Impact } from './Impact.js';

export interface AdviceEvidence {
  usage: CredentialUsage | null;
  impact: Impact | null;
  /** The app has at least one federated identity credential. */
  federated: boolean;
}

/**
 * One recommended path for a client secret or certificate of an app (SAML signing certificates and
 * plain vault secrets have none: they are renewed). The first rule the evidence meets wins: unused
 * credentials are removed, not rotated; an app that already federates needs no secret; a consumer that
 * signs in for a token connection needs a secret, so it keeps rotating; anything else moves to a
 * certificate (one kept in Key Vault when the consumer already reads Key Vault).
 */
export function adviseOn(f: Finding, evidence: AdviceEvidence): Advice | null {
  if (f.credentialType !== 'password' && f.credentialType !== 'certificate') return null;
  const word = f.credentialType === 'password' ? 'secret' : 'certificate';
  const advice = (kind: Advice['kind'], text: string, reason: string): Advice => ({ kind, text, reason, portalUrl: f.portalUrl });
  const { usage, impact } = evidence;
  if (usage?.kind === 'unused')
    return advice(
      'remove',
      `Unused: let it lapse or remove it; do not rotate.`,
      usage.lastSignIn
        ? `No sign-in with this ${word} for ${usage.unusedDays} days (last ${usage.lastSignIn.slice(0, 10)}), per Entra's usage report.`
        : `No sign-in with this ${word} is recorded in the ${usage.unusedDays} days since it was created, per Entra's usage report.`,
    );
  if (f.status === 'stale' || (f.status === 'expired' && f.overlap))
    return advice(
      'remove',
      `Remove it: a newer ${word} replaced it.`,
      `It expired on ${f.endDateTime.slice(0, 10)} and a newer one took over.`,
    );
  if (evidence.federated)
    return advice(
      'useFederatedCredential',
      `Sign in with the app's federated identity credential and remove this ${word}.`,
      `${f.subjectName} already has a federated identity credential, so it needs no ${word}.`,
    );
  const connection = impact?.connections[0];
  if (f.credentialType === 'password' && connection)
    return advice(
      'keepRotating',
      `Keep rotating it: rotate it with Vigil (POST /api/rotations) before ${f.endDateTime.slice(0, 10)}.`,
      `${connection.downstream ?? 'A token connection'} (${connection.name}) signs in with this secret to keep a delegated refresh token alive, and such a client needs a secret.`,
    );
  if (f.credentialType === 'certificate')
    return advice(
      'keepRotating',
      `Renew it with a new certificate before ${f.endDateTime.slice(0, 10)}.`,
      'A certificate is already the credential Microsoft recommends for a client that runs outside Azure.',
    );
  const copy = impact?.vaultCopies[0] ?? f.vaultCopy;
  if (copy)
    return advice(
      'moveToCertificate',
      `Move to a certificate kept in Key Vault, then remove this secret.`,
      `Its consumer already reads it from Key Vault secret ${copy.secretName}, so it can read a certificate from there instead.`,
    );
  return advice(
    'moveToCertificate',
    `Move to a certificate kept in Key Vault, then remove this secret.`,
    'Nothing Vigil sees needs a secret: a certificate cannot be copied out of a log or a config file as a secret can, and Microsoft recommends it for apps.',
  );
}
