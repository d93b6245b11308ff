import { DateTime } from 'luxon';
import { runRotationSchedule } from '../shared/rotation/runRotationSchedule.js';
import { rotationRequestContext } from '../shared/wiring/createRotationDeps.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * Retires old secrets after their grace period, resumes rotations whose run died, and starts the
 * rotations policy asks for (VIGIL_ROTATION_RULES or Key Vault tags). It only queues work, so a late or
 * repeated run does no harm.
 */
export const rotationTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'rotationTimer',
  schedule: '%VIGIL_ROTATION_SCHEDULE%',
  async handler(timer, context, runtime) {
    if (timer.isPastDue) context.log('rotationTimer is running late; one run covers the missed ones.');
    const input = {
      rules: runtime.settings.VIGIL_ROTATION_RULES ?? [],
      vaults: runtime.vaults,
      context: rotationRequestContext(runtime.settings),
    };
    const report = await runRotationSchedule(input, runtime.rotation, DateTime.utc());
    context.log(`rotations: ${report.resumed.length} queued to resume, ${report.started.length} started by policy`);
    for (const problem of report.problems) context.warn(problem);
    await reportRun(runtime, 'rotationTimer', 'completed', (line) => context.warn(line));
  },
};
