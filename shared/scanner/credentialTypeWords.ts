import type { CredentialType } from './Finding.js';

/** How each credential type is named to a person, in events, notifications and the local summary. */
export const credentialTypeWords: Record<CredentialType, string> = {
  password: 'client secret',
  certificate: 'certificate',
  samlSigning: 'SAML signing certificate',
  vaultSecret: 'Key Vault secret',
};
