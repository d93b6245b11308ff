import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenTelemetry } from '../../../../shared/adapters/telemetry/createOpenTelemetry.js';
import type { Telemetry } from '../../../../shared/telemetry/Telemetry.js';

/** A span exporter whose exports finish only when the test says, as a slow upload to Azure Monitor would. */
function heldSpanExporter() {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      batches.push(spans.map((s) => s.name));
      pending.push(() => done({ code: ExportResultCode.SUCCESS }));
    },
    shutdown: () => Promise.resolve(),
  };
  const finishOne = () => pending.shift()?.();
  return { exporter, batches, finishOne };
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

let telemetry: Telemetry | undefined;
/** What an invocation leaves buffered as it ends: a metric and a span. */
const endInvocation = (name: string) => telemetry?.count('refreshes', { outcome: 'refreshed', status: name });
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('createOpenTelemetry flush', () => {
  it('invocations that end while an export runs share the next one, and each returns only once its own spans are sent', async () => {
    const spans = heldSpanExporter();
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    telemetry = createOpenTelemetry({ spans: spans.exporter, metrics, logs: new InMemoryLogRecordExporter() });

    endInvocation('first');
    telemetry.recordFailure('first', 'x');
    const first = telemetry.flush();
    await new Promise((resolve) => setImmediate(resolve));
    endInvocation('second');
    telemetry.recordFailure('second', 'y');
    const second = telemetry.flush();
    endInvocation('third');
    telemetry.recordFailure('third', 'z');
    const third = telemetry.flush();

    expect(spans.batches).toEqual([['first']]);
    spans.finishOne();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    // The two that came while the first exported: one export with both their spans, not yet done.
    expect(spans.batches).toEqual([['first'], ['second', 'third']]);
    expect(await settled(second)).toBe(false);
    expect(await settled(third)).toBe(false);
    spans.finishOne();
    await Promise.all([second, third]);
    // Metrics were collected and sent once per export, not once per invocation.
    expect(metrics.getMetrics()).toHaveLength(2);
  });
});
