import type { ClassifiedFailure } from './classifyTokenError.js';
import { vaultTagNames } from '../vault/vaultTagNames.js';
import type { VaultFailure } from '../vault/VaultFailure.js';
import type { ErrorRule } from './tokenErrorTable.js';
import { toRemediation, type ConnectionFacts } from './toRemediation.js';

/** Which Key Vault step failed: reading the token, reading the app's credential (client secret or certificate), or storing the result. */
export type VaultStep = 'readToken' | 'readCredential' | 'writeBack';

/**
 * Classifies a Key Vault failure around a refresh. Throttling and outages are transient (the stored
 * token is untouched, so retrying is always safe); a missing, disabled or forbidden secret is a
 * configuration error that names the secret.
 */
export function classifyVaultFailure(failure: VaultFailure, step: VaultStep, connection: ConnectionFacts): ClassifiedFailure {
  const secret = step === 'readCredential' ? (connection.credential?.secretName ?? '?') : connection.name;
  const { rule, code } = findRule(
    failure,
    step,
    secret,
    connection.credential?.kind === 'certificate' ? vaultTagNames.clientCertificateName : vaultTagNames.clientSecretName,
  );
  return {
    ...rule,
    code,
    ...toRemediation(rule.failureClass, connection, rule.cause),
    correlationId: undefined,
    retryAfterMs: failure.kind === 'throttled' ? failure.retryAfterMs : undefined,
  };
}

function findRule(failure: VaultFailure, step: VaultStep, secret: string, namedBy: string): { rule: ErrorRule; code: string } {
  const doing = step === 'writeBack' ? `storing the refreshed token in ${secret}` : `reading ${secret}`;
  switch (failure.kind) {
    case 'notFound':
      return {
        rule: {
          failureClass: 'configError',
          cause: `Key Vault has no secret ${secret}${step === 'readCredential' ? ` (named by ${namedBy})` : ''}`,
        },
        code: 'KeyVault:SecretNotFound',
      };
    case 'disabled':
      return {
        rule: { failureClass: 'configError', cause: `the current version of ${secret} is disabled` },
        code: 'KeyVault:SecretDisabled',
      };
    case 'forbidden':
      return {
        rule: {
          failureClass: 'configError',
          cause: `Vigil is not allowed ${doing}: give its identity the Key Vault Secrets Officer role on the vault`,
        },
        code: `KeyVault:${failure.code}`,
      };
    case 'throttled':
      return { rule: { failureClass: 'transient', cause: `Key Vault throttled Vigil while ${doing}` }, code: 'KeyVault:HTTP 429' };
    case 'unavailable':
      return {
        rule: { failureClass: 'transient', cause: `Key Vault failed while ${doing} (${failure.code})` },
        code: `KeyVault:${failure.status === undefined ? failure.code : `HTTP ${failure.status}`}`,
      };
    case 'rejected':
      return {
        rule: { failureClass: 'unknown', cause: `Key Vault refused ${doing} with HTTP ${failure.status} ${failure.code}` },
        code: `KeyVault:${failure.code}`,
      };
  }
}
