import type { RefreshFailureClass } from '../events/vigilEvent.js';
import type { Connection, ConnectionRef } from './Connection.js';

export interface Remediation {
  /** Who must act, and where. */
  whoMustAct: string;
  /** What to do, concretely. */
  remediation: string;
}

/** Partial connections (only a ref) are possible when the secret could not be read. */
export type ConnectionFacts = ConnectionRef & Partial<Omit<Connection, keyof ConnectionRef>>;

const where = (c: ConnectionFacts) => `${new URL(c.vaultUrl).host}/${c.name}`;
const owner = (c: ConnectionFacts) => c.owner ?? 'the account owner (no vigil-owner tag)';
const app = (c: ConnectionFacts) => (c.downstream ? `${c.downstream} (app ${c.clientId ?? '?'})` : `app ${c.clientId ?? '?'}`);

/** The remediation text per failure class: the "who must act and where" every alert carries. */
export function toRemediation(failureClass: RefreshFailureClass, c: ConnectionFacts, cause: string): Remediation {
  switch (failureClass) {
    case 'revoked':
      return {
        whoMustAct: `${owner(c)} signs in again to ${app(c)}`,
        remediation: `${cause}. Sign in again to ${app(c)} in tenant ${c.tenant ?? '?'} and store the new refresh token in ${where(c)}, with its tags.`,
      };
    case 'consentWithdrawn':
      return {
        whoMustAct: `an administrator of tenant ${c.tenant ?? '?'} grants consent`,
        remediation: `${cause}. Grant consent to ${app(c)} for ${c.scopes?.join(' ') ?? 'its scopes'}; Vigil recovers on its next probe, or sign in again if it does not.`,
      };
    case 'interactionRequired':
      return {
        whoMustAct: `${owner(c)} signs in interactively; a Conditional Access administrator reviews the policy`,
        remediation: `${cause}. Sign in to ${app(c)} interactively and store the new refresh token in ${where(c)}, or exclude this connection from the policy that demands it.`,
      };
    case 'clientCredentialProblem':
      if (c.credential?.kind === 'certificate')
        return {
          whoMustAct: `the owner of app ${c.clientId ?? '?'} renews its certificate`,
          remediation: `${cause}. Upload a new certificate to app ${c.clientId ?? '?'} and store it with its private key (PEM) in ${new URL(c.vaultUrl).host}/${c.credential.secretName}.`,
        };
      return {
        whoMustAct: `the owner of app ${c.clientId ?? '?'} renews its client secret`,
        remediation: `${cause}. Create a new client secret for app ${c.clientId ?? '?'} and store it in ${new URL(c.vaultUrl).host}/${c.credential?.secretName ?? '?'}; see Vigil's secret-expiry finding for this app.`,
      };
    case 'appMissing':
      return {
        whoMustAct: `an administrator of tenant ${c.tenant ?? '?'}`,
        remediation: `${cause}. Enable or restore app ${c.clientId ?? '?'} and its service principal in tenant ${c.tenant ?? '?'}, or correct vigil-client-id on ${where(c)}.`,
      };
    case 'configError':
      return {
        whoMustAct: `whoever maintains ${where(c)}`,
        remediation: `${cause}. Check the connection's tags and the vault's access for Vigil.`,
      };
    case 'transient':
      return {
        whoMustAct: "Vigil's operators, if it persists",
        remediation: `${cause}. Vigil retries with backoff; if this persists, check Microsoft 365 service health and Vigil's network path.`,
      };
    case 'unknown':
      return {
        whoMustAct: "Vigil's operators investigate the code",
        remediation: `${cause}. Look the code up (https://login.microsoftonline.com/error) and add it to Vigil's classification table.`,
      };
  }
}
