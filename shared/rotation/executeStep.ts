import type { DateTime } from 'luxon';
import { addSecret } from './addSecret.js';
import type { RotationDeps } from './RotationPorts.js';
import { retireOldSecret } from './retireOldSecret.js';
import { rollBackRotation } from './rollBackRotation.js';
import type { Rotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';
import { verifyNewSecret } from './verifyNewSecret.js';

/** Does the side effects of the rotation's current step. Notifying is the events `rotationEvents` derives. */
export async function executeStep(rotation: Rotation, deps: RotationDeps, now: DateTime): Promise<StepOutcome> {
  switch (rotation.step) {
    case 'addSecret':
      return addSecret(rotation, deps, now);
    case 'verify':
      return verifyNewSecret(rotation, deps);
    case 'notify':
      return { kind: 'notified' };
    case 'retire':
      return retireOldSecret(rotation, deps, now);
    case 'rollBack':
      return rollBackRotation(rotation, deps);
    case 'completed':
    case 'failed':
      throw new Error(`rotation ${rotation.id} is ${rotation.step}; nothing to execute`);
  }
}
