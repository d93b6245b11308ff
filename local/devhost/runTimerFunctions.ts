import type { Timer } from '@azure/functions';
import { Cron } from 'croner';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { createInvocationContext, type LogSink } from './invocationContext.js';

type TimerDefinition = Extract<FunctionDefinition, { kind: 'timer' }>;

/** Resolves `%SETTING%` the way the Functions host does for a timer's schedule. */
export function resolveSchedule(schedule: string, settings: Record<string, unknown>): string {
  return schedule.replace(/%(\w+)%/g, (_, name: string) => {
    const value = settings[name];
    if (typeof value !== 'string') throw new Error(`Timer schedule refers to the app setting ${name}, which is not set`);
    return value;
  });
}

/** The Timer a timer function receives, as the Functions host builds it (not past due). */
export const timerArgument = (next: Date | null): Timer => {
  const now = new Date().toISOString();
  return {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: { last: now, next: next?.toISOString() ?? now, lastUpdated: now },
  };
};

export async function runTimersOnce(definitions: FunctionDefinition[], runtime: Runtime, sink: LogSink): Promise<void> {
  for (const definition of definitions.filter((d): d is TimerDefinition => d.kind === 'timer')) {
    await definition.handler(timerArgument(null), createInvocationContext(definition.name, sink), runtime);
  }
}

/** Runs each timer on its NCRONTAB schedule (6 fields, UTC); one run at a time per timer, as the host's lock ensures. */
export function scheduleTimers(definitions: FunctionDefinition[], runtime: Runtime, sink: LogSink): { stop(): void } {
  const jobs = definitions
    .filter((d): d is TimerDefinition => d.kind === 'timer')
    .map(
      (definition) =>
        new Cron(resolveSchedule(definition.schedule, runtime.settings), { timezone: 'UTC', protect: true }, async (job: Cron) => {
          try {
            await definition.handler(timerArgument(job.nextRun()), createInvocationContext(definition.name, sink), runtime);
          } catch (error) {
            sink(definition.name, 'error', `failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }),
    );
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
