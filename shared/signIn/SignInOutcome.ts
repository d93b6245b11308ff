import type { SignedInUser, StoredTokenCheck } from './SignInPorts.js';
import type { LinkRefusal } from './checkSignInLink.js';
import type { SignInConnection, TargetRefusal } from './resolveTarget.js';

/**
 * Why a sign-in ended without storing anything. `unknownState`: the answer does not belong to a sign-in
 * started here, or was already handled (a reused or replayed callback). `vigilFault`: Vigil could not make its request
 * to Entra (a fault in Vigil or its settings, such as the login host).
 */
export type SignInRefusal =
  | LinkRefusal
  | TargetRefusal
  | 'unknownState'
  | 'flowExpired'
  | 'consentDenied'
  | 'entraError'
  | 'entraUnavailable'
  | 'invalidIdToken'
  | 'wrongUser'
  | 'noRefreshToken'
  | 'clientSecretUnavailable'
  | 'vaultFailed'
  | 'vigilFault';

export type SignInOutcome =
  | {
      kind: 'connected';
      connection: SignInConnection;
      user: SignedInUser;
      /** The Key Vault version now holding the token. */
      version: string;
      probe: StoredTokenCheck;
      linkId: string;
    }
  | {
      kind: 'refused';
      reason: SignInRefusal;
      /** `AADSTS65004`, `KeyVault:forbidden`, …: a code, never a message that could quote a request. */
      code: string | undefined;
      detail: string;
      connection: SignInConnection | undefined;
      user: SignedInUser | undefined;
      linkId: string | undefined;
    };

export function refused(
  reason: SignInRefusal,
  detail: string,
  context: {
    connection?: SignInConnection | undefined;
    user?: SignedInUser | undefined;
    linkId?: string | undefined;
    code?: string | undefined;
  } = {},
): Extract<SignInOutcome, { kind: 'refused' }> {
  return {
    kind: 'refused',
    reason,
    code: context.code,
    detail,
    connection: context.connection,
    user: context.user,
    linkId: context.linkId,
  };
}
