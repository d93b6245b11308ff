/** One credential of a directory object, as Graph lists it (never a secret value or key material). */
export interface CredentialRecord {
  keyId: string;
  displayName: string | null;
  /** Null when Graph sends none. */
  startDateTime?: string | null | undefined;
  endDateTime: string;
  /** keyCredentials only: `Sign` for a token-signing certificate, `Verify` otherwise. */
  usage?: string | undefined;
  /** keyCredentials: the certificate thumbprint by default; ties a SAML certificate's Sign and Verify halves. */
  customKeyIdentifier?: string | null | undefined;
}

export type DirectoryObjectKind = 'application' | 'servicePrincipal';

/** What the scanner reads of an application or service principal: ids, names and credential dates. */
export interface DirectoryObject {
  kind: DirectoryObjectKind;
  id: string;
  appId: string;
  displayName: string;
  /** Applications: when the app was registered (app management policies may spare older apps); null when unknown. */
  createdDateTime?: string | null | undefined;
  passwordCredentials: readonly CredentialRecord[];
  keyCredentials: readonly CredentialRecord[];
  /** Service principals: `saml` for SAML single sign-on apps. */
  preferredSingleSignOnMode: string | null;
  /** Service principals: end of the active SAML token-signing certificate. */
  preferredTokenSigningKeyEndDateTime: string | null;
}

/** One entry of a page: an object as it is now, or one that was deleted (delta rounds only). */
export type DirectoryChange =
  { kind: 'present'; object: DirectoryObject } | { kind: 'removed'; objectKind: DirectoryObjectKind; id: string };
