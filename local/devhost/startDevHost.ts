import { functionDefinitions } from '../../functions/functionDefinitions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { loadSettings } from '../../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../../shared/wiring/createRuntime.js';
import { consoleLogSink, type LogSink } from './invocationContext.js';
import { withPublicBaseUrl } from './localSettings.js';
import { drainQueuesLikeHost } from './runQueueFunctions.js';
import { runTimersOnce, scheduleTimers } from './runTimerFunctions.js';
import { serveHttpFunctions } from './serveHttpFunctions.js';
import type { PageSignIn } from './platformSignIn.js';
import type { Clock } from '../../shared/adapters/entra/Clock.js';

export interface DevHost {
  readonly runtime: Runtime;
  /** Base URL of the HTTP functions, e.g. `http://localhost:7071/api`. */
  readonly apiUrl: string;
  /** One cycle: every timer once, then the queues until they are empty (what `npm start -- --once` does). */
  runOnce(): Promise<void>;
  /** From now on, timers on their schedules and queues polled continuously, like the Functions host. */
  runContinuously(): void;
  stop(): Promise<void>;
}

/**
 * Stands in for `func start` on machines without the Core Tools: loads the same function definitions
 * the Functions host loads, with settings checked by the same loader, and drives their triggers.
 */
export async function startDevHost(options: {
  /** Vigil's settings; the sample's VIGIL_PUBLIC_BASE_URL is pointed at the port the host listens on (withPublicBaseUrl). */
  settings: Record<string, string>;
  /** The HTTP functions' port; 0 for one the system picks as the host listens (no race with other processes). */
  httpPort: number;
  sink?: LogSink;
  definitions?: FunctionDefinition[];
  pageSignIn?: PageSignIn;
  /**
   * The local cloud's clock (LocalCloud's `clock`): what Vigil's requests to its Entra are dated by, so a
   * certificate's assertion and an ID token's times still agree with Entra after an admin clock move.
   */
  clock: Clock;
}): Promise<DevHost> {
  const sink = options.sink ?? consoleLogSink;
  const definitions = options.definitions ?? functionDefinitions;
  // Checked before the port is taken: a bad setting stops start-up naming it, not behind an EADDRINUSE.
  const settings = loadSettings(options.settings);
  // No telemetry pipeline by default: nothing here reads it, and a long `npm start` would keep every span.
  // Tests that assert on telemetry build their runtime with collectTelemetry()'s exporters.
  // Made once the host listens, from the origin it got, so sign-in links name the port actually served.
  const makeRuntime = (origin: string) => createRuntime(withPublicBaseUrl(settings, origin), { clock: options.clock });
  const http = await serveHttpFunctions(definitions, makeRuntime, sink, options.httpPort, options.pageSignIn);
  const runtime = http.runtime;
  const queueNames = definitions.flatMap((d) => (d.kind === 'storageQueue' ? [d.queueName] : []));
  const pending = async () => {
    const counts = await Promise.all(
      queueNames.map(async (name) =>
        (await runtime.queue(name).exists()) ? ((await runtime.queue(name).getProperties()).approximateMessagesCount ?? 0) : 0,
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  };
  const drainUntilIdle = async () => {
    // Handlers may enqueue more work (fan-out) and failed messages come back after a short delay, so keep
    // going until no queue holds anything. Messages held back longer (a retry honouring a long Retry-After)
    // are left for the next run, as the Functions host would deliver them later.
    let idleSince = Date.now();
    for (;;) {
      if ((await drainQueuesLikeHost(definitions, runtime, (name) => runtime.queue(name), sink)) > 0) {
        idleSince = Date.now();
        continue;
      }
      const waiting = await pending();
      if (waiting === 0) return;
      if (Date.now() - idleSince > 20_000) {
        sink('devhost', 'warning', `${waiting} queued message(s) are held back for a later retry; the next run picks them up`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  let schedules: { stop(): void } | undefined;
  let polling: NodeJS.Timeout | undefined;
  return {
    runtime,
    apiUrl: http.url,
    async runOnce() {
      await runTimersOnce(definitions, runtime, sink);
      await drainUntilIdle();
    },
    runContinuously() {
      schedules = scheduleTimers(definitions, runtime, sink);
      let busy = false;
      polling = setInterval(() => {
        if (busy) return;
        busy = true;
        drainUntilIdle()
          .catch((error: unknown) => sink('devhost', 'error', `queue polling failed: ${String(error)}`))
          .finally(() => (busy = false));
      }, 2_000);
    },
    async stop() {
      schedules?.stop();
      if (polling) clearInterval(polling);
      await http.close();
      await runtime.telemetry.shutdown();
    },
  };
}
