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
  detail?: string;
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

export interface Rotation {
  id: string;
  tenantId: string;
  application: { objectId: string; appId: string; displayName: string };
  /** The credential to replace and retire; absent: a new secret is added and nothing is retired. */
  oldCredential?: PasswordCredentialInfo;
  lifetimeDays: number;
  /** Absent on rotations planned before policies were read. */
  policy?: RotationPolicy;
  retireOldAfterHours: number | 'never';
  vault: {
    url: string;
    secretName: string;
    /** The version that was current when planned: restored if the rotation rolls back. */
    previousVersion?: string;
    /** Tags of that version, carried over to the new one (routing hints, links). */
    tags: Record<string, string>;
  };
  /** Routing hints for events, from the secret's tags (vigil-owner, vigil-team, vigil-downstream). */
  routing: { owner?: string; team?: string; downstream?: string };
  requestedBy: Requester;
  requestedAt: string;
  step: RotationStep;
  /** Attempts of the current step; reset when the step changes. */
  attempts: number;
  /** The step is not due before this time (a retry later, or the end of the grace period). */
  wakeAt?: string;
  /** A run working on the rotation holds it until this time; after that a crash is assumed. */
  leaseUntil?: string;
  newCredential?: PasswordCredentialInfo;
  vaultVersion?: string;
  retireAt?: string;
  retirement?: Retirement;
  /** What went wrong, for a rotation that is rolling back or failed. */
  failure?: { step: RotationStep; reason: string };
  history: RotationHistoryEntry[];
  updatedAt: string;
}

export const isTerminal = (rotation: Pick<Rotation, 'step'>): boolean => terminalSteps.includes(rotation.step);
export const holdsAppLock = (step: RotationStep): boolean => lockingSteps.includes(step);

/** The marker Vigil puts in the display names of secrets it adds, so a crashed run can find its own. */
export const markerOf = (rotationId: string): string => `vigil:${rotationId}`;
