import { DateTime } from 'luxon';
import { z } from 'zod';
import { advanceRotation } from '../shared/rotation/advanceRotation.js';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const message = z.object({ rotationId: z.string().regex(/^rot-[0-9a-f-]{36}$/) });

/**
 * Advances one rotation as far as it can go now. Duplicates and late messages are harmless: a rotation
 * another run holds, or one that is not due, is left alone. A malformed message is logged and dropped.
 */
export const rotationQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'rotationQueue',
  queueName: queueNames.rotation,
  async handler(raw, context, runtime) {
    const parsed = message.safeParse(raw);
    if (!parsed.success) {
      context.warn('rotationQueue: dropped a message that names no rotation');
      return;
    }
    const result = await advanceRotation(parsed.data.rotationId, runtime.rotation, DateTime.utc());
    const step = 'rotation' in result ? ` (${result.rotation.step})` : '';
    context.log(`rotation ${parsed.data.rotationId}: ${result.kind}${step}`);
  },
};
