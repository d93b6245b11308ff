import type { z } from 'zod';
import type {
  passwordCredentialInfoSchema,
  policySchema,
  requesterSchema,
  retirementSchema,
  rotationSchema,
  rotationStepSchema,
} from './rotationSchema.js';

/**
 * A rotation, typed by its step as rotationSchema reads it (the one home of its shapes): from `verify` on
 * a rotation has its new secret, at `retire` the old one and when to remove it, and a rotation rolling
 * back or failed says why. It never holds a secret value: only key ids and versions.
 */
export type Rotation = z.output<typeof rotationSchema>;
export type RotationStep = z.output<typeof rotationStepSchema>;
export type Requester = z.output<typeof requesterSchema>;
export type PasswordCredentialInfo = z.output<typeof passwordCredentialInfoSchema>;
export type RotationPolicy = z.output<typeof policySchema>;
export type Retirement = z.output<typeof retirementSchema>;

/** The new secret is stored: it is checked with Entra, then announced. */
export type VerifyingRotation = Extract<Rotation, { step: 'verify' | 'notify' }>;
/** The new secret is in use; the old one is removed once the grace period is over and nothing signs in with it. */
export type RetiringRotation = Extract<Rotation, { step: 'retire' }>;
/** The new secret could not be verified (or its step was abandoned): what this rotation added is undone. */
export type RollingBackRotation = Extract<Rotation, { step: 'rollBack' }>;
export type CompletedRotation = Extract<Rotation, { step: 'completed' }>;
/** The new secret, once it exists in Entra and in Key Vault (`vaultVersion` is its Key Vault version). */
export type NewSecret = Pick<VerifyingRotation, 'newCredential' | 'vaultVersion'>;

/** Steps after which the app may not start another rotation: its secrets are being changed. */
const lockingSteps: readonly RotationStep[] = ['addSecret', 'verify', 'notify', 'rollBack'];
const terminalSteps: readonly RotationStep[] = ['completed', 'failed'];

export const isTerminal = (rotation: Pick<Rotation, 'step'>): boolean => terminalSteps.includes(rotation.step);
export const holdsAppLock = (step: RotationStep): boolean => lockingSteps.includes(step);

/** The marker Vigil puts in the display names of secrets it adds, so a crashed run can find its own. */
export const markerOf = (rotationId: string): string => `vigil:${rotationId}`;
