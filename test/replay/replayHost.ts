import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { vi } from 'vitest';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import { createInvocationContext, type LogSink } from '../../local/devhost/invocationContext.js';
import { drainQueuesLikeHost } from '../../local/devhost/runQueueFunctions.js';
import { resolveSchedule } from '../../local/devhost/runTimerFunctions.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { startQueueClock, type QueueClock } from './queueClockProxy.js';
import type { TestStack } from '../support/startTestStack.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

type TimerDefinition = Extract<FunctionDefinition, { kind: 'timer' }>;

/**
 * Vigil's Function App over months, in seconds: every function the Functions host loads, driven as the
 * dev host drives them, on one replay clock. The clock is the process's `Date` (faked, moving with real
 * time in between jumps), which Vigil, the Azure SDKs' token caches and the local cloud all read; Azurite
 * runs apart on real time, so queue visibility delays go through a `QueueClock`. Timers fire at each of
 * their NCRONTAB times; queue messages are handled as they become due, by two instances at once (a
 * scaled-out app), so deliveries race as they would in Azure.
 */
export interface ReplayHost {
  /** The two instances' runtimes (same settings and storage). */
  readonly runtimes: readonly [Runtime, Runtime];
  readonly logs: string[];
  /** Real milliseconds spent per timer and on the queues, to keep the replay fast. */
  readonly spent: Map<string, number>;
  now(): DateTime;
  /** Moves the clock to `at`, firing every timer due on the way and handling every message as it becomes due. */
  runUntil(at: DateTime): Promise<void>;
  stop(): Promise<void>;
}

export async function startReplayHost(stack: TestStack, settings: Record<string, string>, start: DateTime): Promise<ReplayHost> {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(start.toJSDate());
  const clock: QueueClock = await startQueueClock(stack.azurite, () => Date.now());
  const instance = () => stack.runtimeWith({ ...settings, AzureWebJobsStorage: clock.connectionString });
  const runtimes = [instance(), instance()] as const;
  const logs: string[] = [];
  const sink: LogSink = (name, level, line) => {
    if (level !== 'information') logs.push(`${new Date().toISOString()} ${name} ${level} ${line}`);
  };
  const timers = functionDefinitions
    .filter((d): d is TimerDefinition => d.kind === 'timer')
    .map((definition) => {
      const cron = new Cron(resolveSchedule(definition.schedule, runtimes[0].settings), { timezone: 'UTC', paused: true });
      return { definition, cron, next: cron.nextRun(new Date())!.getTime() };
    });

  const spent = new Map<string, number>();
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      spent.set(name, (spent.get(name) ?? 0) + performance.now() - started);
    }
  };
  // Only the queues something was sent to (or released on) since the last look: listening on every queue
  // after every step would cost more than the whole replay's work.
  const drain = async () => {
    for (;;) {
      await clock.release(Date.now());
      const woken = clock.takeWoken();
      if (woken.size === 0) return;
      const definitions = functionDefinitions.filter((d) => d.kind === 'storageQueue' && woken.has(d.queueName));
      await timed('queues', () =>
        Promise.all(runtimes.map((runtime) => drainQueuesLikeHost(definitions, runtime, (name) => runtime.queue(name), sink))),
      );
    }
  };

  return {
    runtimes,
    logs,
    spent,
    now: () => DateTime.utc(),
    async runUntil(at) {
      const target = at.toMillis();
      for (;;) {
        const next = Math.min(...timers.map((t) => t.next), clock.nextDue() ?? Infinity);
        if (next > target) break;
        if (next > Date.now()) vi.setSystemTime(next);
        if (process.env['REPLAY_TRACE']) process.stderr.write(`${new Date(next).toISOString()} ${Math.round(performance.now())}\n`);
        for (const timer of timers.filter((t) => t.next <= Date.now())) {
          // One instance holds a timer's lock; which one does not matter.
          try {
            await timed(timer.definition.name, () =>
              timer.definition.handler(timerArgument(null), createInvocationContext(timer.definition.name, sink), runtimes[0]),
            );
          } catch (error) {
            sink(timer.definition.name, 'error', `failed: ${error instanceof Error ? error.message : String(error)}`);
          }
          timer.next = timer.cron.nextRun(new Date())!.getTime();
        }
        await drain();
      }
      if (target > Date.now()) vi.setSystemTime(target);
      await drain();
    },
    async stop() {
      await clock.stop();
      await Promise.all(runtimes.map((r) => r.telemetry.shutdown()));
      vi.useRealTimers();
    },
  };
}
