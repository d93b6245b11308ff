import { DateTime } from 'luxon';
import { describeError } from '../shared/helpers/describeError.js';
import type { Producer } from '../shared/telemetry/vigilMetrics.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';

/**
 * Reports how a producer's run ended: the `vigil.runs` metric the "no run completed" alert reads, and,
 * for a completed run, the time the health endpoint shows. Failing to record that time is logged, not
 * thrown: the run's work is done, and a retry would do it twice.
 */
export async function reportRun(
  runtime: Runtime,
  producer: Producer,
  outcome: 'completed' | 'unchecked' | 'busy' | 'skipped',
  warn: (line: string) => void,
): Promise<void> {
  runtime.telemetry.count('runs', { producer, outcome });
  if (outcome !== 'completed') return;
  try {
    await runtime.runs.markCompleted(producer, DateTime.utc());
  } catch (error) {
    // Status and code only: a Storage error's message can quote the request.
    warn(`could not record the completed ${producer} run for the health endpoint: ${describeError(error)}`);
  }
}
