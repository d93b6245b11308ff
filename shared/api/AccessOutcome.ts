/** Vigil's app roles (app registration `appRoles`): reading state, and starting rotations. */
export const apiRoles = ['Vigil.Read', 'Vigil.Rotate'] as const;
export type ApiRole = (typeof apiRoles)[number];

/** Who called, from a checked token or the platform's authentication. */
export interface Caller {
  appId: string;
  objectId: string;
  tenantId: string;
  /** A person's name or UPN for delegated tokens; the app id for app-only tokens. */
  name: string;
  roles: string[];
  via: 'bearer' | 'platform';
}

/** Why a request is unauthenticated: stable codes for the audit log and the `WWW-Authenticate` error. */
export type UnauthenticatedReason =
  | 'missingToken'
  | 'malformed'
  | 'untrustedPrincipalHeader'
  | 'tenantNotAllowed'
  | 'wrongIssuer'
  | 'wrongAudience'
  | 'expired'
  | 'notYetValid'
  | 'badSignature'
  | 'unknownKey';

/**
 * The outcome of checking a request's credentials for one role. `unverifiable` means Vigil could not
 * fetch the tenant's signing keys: the caller is not at fault, so it is not reported as a 401.
 */
export type AccessOutcome =
  | { kind: 'authorized'; caller: Caller }
  | { kind: 'unauthenticated'; reason: UnauthenticatedReason; caller?: Partial<Caller> }
  | { kind: 'forbidden'; caller: Caller; missingRole: ApiRole }
  | { kind: 'unverifiable'; reason: string };
