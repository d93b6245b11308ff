import { createTracingClient, type OperationTracingOptions } from '@azure/core-tracing';
import type { ExportResult } from '@opentelemetry/core';
import { createOpenTelemetry, type TelemetryExporters } from '../shared/adapters/telemetry/createOpenTelemetry.js';
import { benchTelemetryExporters } from './benchTelemetry.js';

/**
 * Vigil's telemetry pipeline alone (createOpenTelemetry into the bench's serialise-and-drop exporters), driven by
 * refresh-like invocations, 16 at a time as the host's queue listener runs them: each runs in a trace, makes five
 * Key Vault-style requests (an operation span and an HTTP span with a URL to redact, a status, `traceparent`), counts,
 * records and logs, then flushes. `--export-ms=N` makes every export answer N ms later, as an upload to Azure Monitor
 * does and the refresh and scan benches' exporters do not, so what the flush costs when exports overlap shows.
 * Prints the CPU an invocation takes and the exports of each signal per 1,000 invocations.
 *
 * `node dist/bench/telemetryBench.js [--export-ms=50] [invocations]`
 */
const exportMs = Number(/^--export-ms=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--export-ms=')) ?? '')?.[1] ?? 0);
const invocations = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 4_000);
const AT_ONCE = 16;
const TRACE_PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const exports = { spans: 0, logs: 0, metrics: 0 };
const dropped = benchTelemetryExporters({ VIGIL_BENCH_TELEMETRY: '1' })!;
const answered = (done: (result: ExportResult) => void) => (result: ExportResult) =>
  exportMs > 0 ? void setTimeout(() => done(result), exportMs) : done(result);
const exporters: TelemetryExporters = {
  spans: { ...dropped.spans, export: (items, done) => (exports.spans++, dropped.spans.export(items, answered(done))) },
  logs: { ...dropped.logs, export: (items, done) => (exports.logs++, dropped.logs.export(items, answered(done))) },
  metrics: { ...dropped.metrics, export: (items, done) => (exports.metrics++, dropped.metrics.export(items, answered(done))) },
};
const telemetry = createOpenTelemetry(exporters);
const operation = createTracingClient({ namespace: 'Microsoft.KeyVault', packageName: '@azure/keyvault-secrets' });
const pipeline = createTracingClient({ namespace: '', packageName: '@azure/core-rest-pipeline' });
const answer = () => new Promise<void>((resolve) => setImmediate(resolve));

async function request(connection: number, call: number): Promise<void> {
  const noOptions: { tracingOptions?: OperationTracingOptions } = {};
  await operation.withSpan('SecretClient.getSecret', noOptions, async (options) => {
    // The pipeline's tracingPolicy starts its span from the operation's options, as core-rest-pipeline does.
    const { span, updatedOptions } = pipeline.startSpan('HTTP GET', options, {
      spanKind: 'client',
      spanAttributes: {
        'http.url': `https://kv-bench.vault.azure.net/secrets/conn-${connection}/v${call}?api-version=2025-07-01`,
        'http.method': 'GET',
        'http.user_agent': 'azsdk-js-keyvault-secrets/4.11.2 core-rest-pipeline/1.24.0',
      },
    });
    const tracingContext = updatedOptions.tracingOptions?.tracingContext;
    if (!tracingContext) throw new Error('core-tracing returned no tracing context');
    pipeline.createRequestHeaders(tracingContext);
    await pipeline.withContext(tracingContext, answer);
    span.setAttribute('http.status_code', 200);
    span.end();
  });
}

async function invocation(connection: number): Promise<void> {
  await telemetry.run(TRACE_PARENT, async () => {
    for (let call = 0; call < 5; call++) await request(connection, call);
    telemetry.record('queueAge', 1.5, { queue: 'vigil-refresh' });
    telemetry.count('refreshes', { outcome: 'refreshed', status: 'healthy' });
    telemetry.log('info', 'connection refreshed', { connection: `kv-bench.vault.azure.net/conn-${connection}`, outcome: 'refreshed' });
  });
}

async function runAll(count: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await invocation(next++);
  };
  await Promise.all(Array.from({ length: AT_ONCE }, lane));
}

await runAll(500);
Object.assign(exports, { spans: 0, logs: 0, metrics: 0 });
const before = process.cpuUsage();
await runAll(invocations);
const used = process.cpuUsage(before);
const per1000 = (n: number) => Math.round((1_000 * n) / invocations);
console.log(
  JSON.stringify({
    invocations,
    exportMs,
    cpuMicrosecondsPerInvocation: Math.round((used.user + used.system) / invocations),
    exportsPer1000: { spans: per1000(exports.spans), logs: per1000(exports.logs), metrics: per1000(exports.metrics) },
  }),
);
await telemetry.shutdown();
