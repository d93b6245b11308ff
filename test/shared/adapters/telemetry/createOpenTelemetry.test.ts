import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
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

/** A log exporter whose exports finish only when the test says. */
function heldLogExporter() {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  const exporter: LogRecordExporter = {
    export(records: ReadableLogRecord[], done: (result: ExportResult) => void) {
      batches.push(records.map((r) => String(r.body)));
      pending.push(() => done({ code: ExportResultCode.SUCCESS }));
    },
    forceFlush: () => Promise.resolve(),
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

  // OpenTelemetry's log processor returns at once from a flush asked for while another runs, so an invocation
  // could end with its log record still buffered in an instance about to be frozen.
  it('an invocation that ends while logs are exporting returns only once its own log record is sent', async () => {
    const logs = heldLogExporter();
    telemetry = createOpenTelemetry({
      spans: heldSpanExporter().exporter,
      metrics: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      logs: logs.exporter,
    });

    telemetry.log('info', 'first', {});
    const first = telemetry.flush();
    await new Promise((resolve) => setImmediate(resolve));
    telemetry.log('info', 'second', {});
    const second = telemetry.flush();

    expect(await settled(second)).toBe(false);
    logs.finishOne();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.batches).toEqual([['first'], ['second']]);
    expect(await settled(second)).toBe(false);
    logs.finishOne();
    await second;
  });
});
