/**
 * The one recommended path for a credential, chosen from the evidence Vigil has:
 * - `remove`: it is unused (or expired and replaced): let it lapse or remove it, do not rotate;
 * - `useFederatedCredential`: the app already has a federated identity credential;
 * - `keepRotating`: its consumer needs a secret (a token connection's client, such as a helpdesk);
 * - `moveToCertificate`: its consumer reads it from Key Vault, or nothing says it needs a secret.
 */
export const adviceKinds = ['remove', 'useFederatedCredential', 'keepRotating', 'moveToCertificate'] as const;
export type AdviceKind = (typeof adviceKinds)[number];

export interface Advice {
  kind: AdviceKind;
  /** A short sentence a person can act on. */
  text: string;
  /** The evidence it rests on. */
  reason: string;
  /** Where to act: the credential's Certificates & secrets page. */
  portalUrl: string;
}
