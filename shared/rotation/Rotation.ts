/**
 * A rotation is a persisted state machine, in the spirit of AWS Secrets Manager's create, set, test and
 * finish steps. `step` names the next thing to do; the record is saved after every step so a crashed
 * run resumes (or rolls back) on the next one. It never holds a secret value: only key ids and versions.
 */
export const rotationSteps = ['addSecret', 'verify', 'notify', 'retire', 'rollBack', 'completed', 'failed'] as const;
export type RotationStep = (typeof rotationSteps)[number];

/** Steps after which the app may not start another rotation: its secrets are being changed. */
export const lockingSteps: readonly RotationStep[] = ['addSecret', 'verify', 'notify', 'rollBack'];
export const terminalSteps: readonly RotationStep[] = ['completed', 'failed'];

export interface Requester {
  kind: 'caller' | 'policy';
  /** App id (or object id) of the caller; the rule for policy rotations. */
  id: string;
  name: string;
}

export interface PasswordCredentialInfo {
  keyId: string;
  displayName: string | null;
  endDateTime: string;
}

export interface RotationHistoryEntry {
  at: string;
  step: RotationStep;
  outcome: string;
  detail?: string | undefined;
}

/**
 * The app management policy as read when the rotation was planned: the lifetime it allows (the new
 * secret's is clamped to it), or why it could not be read (the request's lifetime then stands, and a
 * refusal at addPassword fails the step with Graph's reason).
 */
export type RotationPolicy =
  { kind: 'read'; maxLifetimeDays: number | null; by: string | null; requestedLifetimeDays: number } | { kind: 'unknown'; reason: string };

/**
 * How the old secret's retirement goes after the grace period: `waiting` while Entra's usage report
 * shows it still signing in since the new one was stored (who: the resource it signed in to and the
 * vault copies that still hold it), `decided` with the evidence it was removed on.
 */
export type Retirement =
  | { kind: 'waiting'; lastSignIn: string; resource: string | null; holders: string[]; since: string; nextCheckAt: string }
  | { kind: 'decided'; evidence: string };

/** What went wrong, for a rotation that is rolling back or failed. */
export interface RotationFailure {
  step: RotationStep;
  reason: string;
}

/** What every rotation holds, whatever its step. */
interface RotationBase {
  id: string;
  tenantId: string;
  application: { objectId: string; appId: string; displayName: string };
  /** The credential to replace and retire; absent: a new secret is added and nothing is retired. */
  oldCredential?: PasswordCredentialInfo | undefined;
  lifetimeDays: number;
  /** Absent on rotations planned before policies were read. */
  policy?: RotationPolicy | undefined;
  retireOldAfterHours: number | 'never';
  vault: {
    url: string;
    secretName: string;
    /** The version that was current when planned: restored if the rotation rolls back. */
    previousVersion?: string | undefined;
    /** Tags of that version, carried over to the new one (routing hints, links). */
    tags: Record<string, string>;
  };
  /** Routing hints for events, from the secret's tags (vigil-owner, vigil-team, vigil-downstream). */
  routing: { owner?: string | undefined; team?: string | undefined; downstream?: string | undefined };
  requestedBy: Requester;
  requestedAt: string;
  /** Attempts of the current step; reset when the step changes. */
  attempts: number;
  /** The step is not due before this time (a retry later, or the end of the grace period). */
  wakeAt?: string | undefined;
  /** A run working on the rotation holds it until this time; after that a crash is assumed. */
  leaseUntil?: string | undefined;
  history: RotationHistoryEntry[];
  updatedAt: string;
}

/** The new secret, once it exists in Entra and in Key Vault (`vaultVersion` is its Key Vault version). */
export interface NewSecret {
  newCredential: PasswordCredentialInfo;
  vaultVersion: string;
}

/** A rotation rolling back or failed may or may not have got as far as the new secret. */
type MaybeNewSecret = { [K in keyof NewSecret]?: NewSecret[K] | undefined };

/** The old secret's removal: when it is due, and how it goes once due. */
interface RetirementState {
  retireAt?: string | undefined;
  retirement?: Retirement | undefined;
}

/** Fields a step does not have, so that reading them from any rotation gives `undefined`. */
type Absent<K extends string> = { [P in K]?: undefined };

/** Nothing changed yet: the next run creates the new secret. */
export type AddingRotation = RotationBase &
  Absent<'newCredential' | 'vaultVersion' | 'retireAt' | 'retirement' | 'failure'> & { step: 'addSecret' };
/** The new secret is stored: it is checked with Entra, then announced. */
export type VerifyingRotation = RotationBase & NewSecret & Absent<'retireAt' | 'retirement' | 'failure'> & { step: 'verify' | 'notify' };
/** The new secret is in use; the old one is removed once the grace period is over and nothing signs in with it. */
export type RetiringRotation = RotationBase &
  NewSecret &
  Absent<'failure'> & {
    step: 'retire';
    oldCredential: PasswordCredentialInfo;
    retireOldAfterHours: number;
    retireAt: string;
    retirement?: Retirement | undefined;
  };
/** The new secret could not be verified (or its step was abandoned): what this rotation added is undone. */
export type RollingBackRotation = RotationBase &
  MaybeNewSecret &
  Absent<'retireAt' | 'retirement'> & { step: 'rollBack'; failure: RotationFailure };
export type CompletedRotation = RotationBase & NewSecret & RetirementState & Absent<'failure'> & { step: 'completed' };
export type FailedRotation = RotationBase & MaybeNewSecret & RetirementState & { step: 'failed'; failure: RotationFailure };

/**
 * A rotation, typed by its step: from `verify` on a rotation has its new secret, at `retire` the old
 * one and when to remove it, and a rotation rolling back or failed says why. Only a rollback that began
 * before the new secret was stored, or a failure, may lack the new secret.
 */
export type Rotation = AddingRotation | VerifyingRotation | RetiringRotation | RollingBackRotation | CompletedRotation | FailedRotation;

export const isTerminal = (rotation: Pick<Rotation, 'step'>): boolean => terminalSteps.includes(rotation.step);
export const holdsAppLock = (step: RotationStep): boolean => lockingSteps.includes(step);

/** The marker Vigil puts in the display names of secrets it adds, so a crashed run can find its own. */
export const markerOf = (rotationId: string): string => `vigil:${rotationId}`;
