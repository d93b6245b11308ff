import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOpenTelemetry, type TelemetryExporters } from '../../../../shared/adapters/telemetry/createOpenTelemetry.js';
import type { Telemetry } from '../../../../shared/telemetry/Telemetry.js';
import { heldExporter } from '../../../support/heldExporter.js';

/**
 * An exporter that answers every export with a failure; `sent` counts its exports. Azure Monitor's answers so only for
 * an upload it could neither send nor keep on disk to retry (a 400, say, or a failed disk write): a 503 it keeps and
 * answers success.
 */
function failingExporter() {
  const exporter = {
    sent: 0,
    export(_batch: unknown, done: (result: ExportResult) => void) {
      exporter.sent += 1;
      done({ code: ExportResultCode.FAILED, error: new Error('400 from the ingestion endpoint') });
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return exporter;
}
const heldSpanExporter = () => heldExporter((span: ReadableSpan) => span.name);
const heldLogExporter = () => heldExporter((record: ReadableLogRecord) => String(record.body));

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

let telemetry: Telemetry | undefined;
/** What an invocation leaves buffered as it ends: a metric data point (its `status` is `name`) and a span named `name`. */
const endInvocation = (name: string) => {
  telemetry?.count('refreshes', { outcome: 'refreshed', status: name });
  telemetry?.recordFailure(name, 'x');
};
/** The `status` of every data point of each metric export, in order. */
const statusesPerExport = (metrics: InMemoryMetricExporter) =>
  metrics
    .getMetrics()
    .map((resource) =>
      resource.scopeMetrics.flatMap((scope) => scope.metrics.flatMap((m) => m.dataPoints.map((p) => p.attributes['status']))),
    );
/** Fake timers, the clock included, so that each flush's deadline runs on the time the test advances. */
const useFakeTime = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
/** Shuts `running` down on fake time, its uploads still held: each wait in it ends at its deadline. */
async function shutDownOnFakeTime(running: Telemetry) {
  telemetry = undefined;
  const down = running.shutdown();
  await vi.advanceTimersByTimeAsync(300_000);
  await down;
}

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await telemetry?.shutdown();
  telemetry = undefined;
});

/** Telemetry whose signals go to the exporters given, the others to memory. */
function telemetryWith(exporters: Partial<TelemetryExporters>, deadlineMs?: number) {
  const inMemory = {
    spans: new InMemorySpanExporter(),
    metrics: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    logs: new InMemoryLogRecordExporter(),
  };
  telemetry = createOpenTelemetry({ ...inMemory, ...exporters }, 'vigil', deadlineMs);
  return telemetry;
}

/** Telemetry whose spans go to an exporter the test holds, its metrics and logs to memory. */
function withHeldSpans(deadlineMs?: number) {
  const spans = heldSpanExporter();
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const logs = new InMemoryLogRecordExporter();
  return { telemetry: telemetryWith({ spans: spans.exporter, metrics, logs }, deadlineMs), spans, metrics, logs };
}

/** A first invocation ends and flushes; a second ends and flushes while the first's export runs. */
async function secondEndsWhileFirstExports(running: Telemetry) {
  endInvocation('first');
  const first = running.flush();
  await new Promise((resolve) => setImmediate(resolve));
  endInvocation('second');
  const second = running.flush();
  return { first, second };
}

describe('createOpenTelemetry flush', () => {
  it('invocations that end while an export runs share the next one, and each returns only once its own spans are sent', async () => {
    const { telemetry, spans, metrics } = withHeldSpans();

    const { first, second } = await secondEndsWhileFirstExports(telemetry);
    endInvocation('third');
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
    // Metrics were collected and sent once per export, not once per invocation: the second with both later points
    // (the exporter keeps cumulative sums, so the first point is sent again).
    expect(statusesPerExport(metrics)).toEqual([['first'], ['first', 'second', 'third']]);
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

  // The span processor's flush sends only what is still buffered and does not wait for its own timed export (5 s
  // after a span lands in an empty buffer): spans that export took while the invocation waited its turn were
  // still uploading when it returned, and a frozen instance loses them.
  it.each([
    { result: { code: ExportResultCode.SUCCESS }, warned: 0 },
    { result: { code: ExportResultCode.FAILED, error: new Error('503 from the ingestion endpoint') }, warned: 1 },
  ])(
    'an invocation whose spans a timed export took while it waited its turn returns only once that export is done, warning when it failed ($warned)',
    async ({ result, warned }) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { telemetry, spans } = withHeldSpans();

      const { first, second } = await secondEndsWhileFirstExports(telemetry);
      vi.advanceTimersByTime(5_000);
      expect(spans.batches).toEqual([['first'], ['second']]);
      spans.finishOne();

      // OpenTelemetry yields through zero-delay timers on the way: run those, and only those, before looking.
      await vi.advanceTimersByTimeAsync(0);
      expect(await settled(second)).toBe(false);
      spans.finishOne(result);
      await vi.advanceTimersByTimeAsync(0);
      // The first waits for it too: it started while the first's flush ran.
      await Promise.all([first, second]);
      expect(warn).toHaveBeenCalledTimes(warned);
    },
  );

  it('an export that fails does not fail the invocations sharing it, is reported, and the next export still runs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { telemetry, spans } = withHeldSpans();

    const { first, second } = await secondEndsWhileFirstExports(telemetry);
    spans.finishOne({ code: ExportResultCode.FAILED, error: new Error('503 from the ingestion endpoint') });

    await expect(first).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Warning: telemetry was not all sent .* \(spans: an export failed or did not answer\)/),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(spans.batches).toEqual([['first'], ['second']]);
    spans.finishOne();
    await expect(second).resolves.toBeUndefined();
  });

  it('an export that never answers holds invocations only until its deadline, which is reported, and the next export still runs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // 250 ms, not less: the flush of 'next' must end within its own deadline even on a loaded machine, or it warns too.
    const { telemetry, spans, logs } = withHeldSpans(250);

    endInvocation('stuck');
    await telemetry.flush();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/telemetry was not all sent within 250 ms/));

    endInvocation('next');
    const next = telemetry.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(spans.batches).toEqual([['stuck'], ['next']]);
    // The stuck export, past its deadline, no longer holds the invocations after it.
    spans.finishNewest();
    await next;
    expect(warn).toHaveBeenCalledTimes(1);
    // The warning also reaches Application Insights, with the export after the one that expired.
    expect(logs.getFinishedLogRecords().map((r) => r.body)).toEqual([expect.stringMatching(/not all sent within 250 ms/)]);
  });
  it('an invocation that ends while a stuck export runs waits at most the deadline from its own end, not that export and then its own', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { telemetry } = withHeldSpans(400);

    endInvocation('stuck');
    void telemetry.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    endInvocation('waiting');
    const askedAt = Date.now();
    await telemetry.flush();
    // Its turn came at 400 ms into the stuck one, and it had what was left of its own 400 ms (the old code waited
    // the rest of the stuck batch and then a whole deadline of its own: about 600 ms).
    expect(Date.now() - askedAt).toBeLessThan(520);
  });

  // OpenTelemetry's log processor and metric reader resolve their flush whatever the export answered: a failed
  // upload of either was lost with no word.
  it.each(['logs', 'metrics'] as const)('a failed upload of %s is reported, naming that signal alone', async (signal) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const running = telemetryWith({ [signal]: failingExporter() });

    endInvocation('done');
    running.log('info', 'tenant scanned', {});
    await running.flush();

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      `Warning: telemetry was not all sent within 40000 ms of an invocation's end (${signal}: an export failed or did not answer); some may be lost`,
    );
  });

  // The metric reader asks its exporter which temporality to keep (Azure Monitor's asks for delta sums): the
  // tracking wrapper must pass the question on.
  it("metrics are kept with the exporter's temporality", async () => {
    const metrics = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const running = telemetryWith({ metrics });

    endInvocation('first');
    await running.flush();
    endInvocation('second');
    await running.flush();

    expect(statusesPerExport(metrics)).toEqual([['first'], ['second']]);
  });

  it('an invocation whose telemetry all went gives no warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const running = telemetryWith({});

    endInvocation('done');
    running.log('info', 'tenant scanned', {});
    await running.flush();

    expect(warn).not.toHaveBeenCalled();
  });

  it('a log upload that never answers is reported by the deadline', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const running = telemetryWith({ logs: heldLogExporter().exporter }, 200);

    running.log('info', 'tenant scanned', {});
    const askedAt = Date.now();
    await running.flush();

    expect(Date.now() - askedAt).toBeLessThan(1_000);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not all sent within 200 ms of an invocation's end \(logs: /));
  });

  // The warning is itself a log record: were its loss counted, a log exporter that keeps failing would have every
  // later flush warn about the warning before, for as long as the instance lives.
  it('with a log exporter that keeps failing, a flush warns when records of its own were lost, not about the warning before', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logs = failingExporter();
    const running = telemetryWith({ logs });

    running.log('info', 'first', {});
    await running.flush();
    expect(warn).toHaveBeenCalledTimes(1);

    endInvocation('logged nothing');
    await running.flush();
    // The warning was sent (and lost) with it, and no word of that.
    expect(logs.sent).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);

    running.log('info', 'third', {});
    await running.flush();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  // After a batch gave up on its deadline, OpenTelemetry's log processor was still exporting that batch's records,
  // and returned at once from the next flush: the next invocation returned with its records still buffered.
  it('an invocation that ends after a log upload outlived the deadline returns only once its own records are sent', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    useFakeTime();
    const logs = heldLogExporter();
    const running = telemetryWith({ logs: logs.exporter }, 300);

    running.log('info', 'first', {});
    const first = running.flush();
    await vi.advanceTimersByTimeAsync(300);
    await first;
    running.log('info', 'second', {});
    const second = running.flush();

    expect(await settled(second)).toBe(false);
    logs.finishOne();
    await vi.advanceTimersByTimeAsync(0);
    // Exported once the first batch's export answered (the first batch's warning goes by an export of its own).
    expect(logs.batches).toContainEqual(['second']);
    expect(await settled(second)).toBe(false);
    logs.finishOne();
    logs.finishOne();
    await second;
  });

  // The warnings' provider gives up on its flush at 30 s (its forceFlushTimeoutMillis) and rejects: the shared flush
  // rejected with it, and so did the invocation, its queue message retried and no warning said.
  it('a log upload that hangs fails no invocation: each that ends meanwhile returns by its deadline and warns', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    useFakeTime();
    const running = telemetryWith({ logs: heldLogExporter().exporter });

    running.log('info', 'first', {});
    const first = running.flush();
    // The next ends as the first returns: its flush sends the first's warning, by the same hung exporter.
    const second = first.then(() => {
      running.log('info', 'second', {});
      return running.flush();
    });
    await vi.advanceTimersByTimeAsync(40_000);
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    await vi.advanceTimersByTimeAsync(40_000);
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/not all sent within 40000 ms of an invocation's end \(logs: /));
    await shutDownOnFakeTime(running);
  });

  // The log provider's flush gave up at 30 s while its processor's ran on (an upload its timer started, then the
  // invocation's own records): the invocation was told "not sent" while its records were still going, and the next
  // one found the processor still flushing, which returns at once, and returned with its records buffered.
  it('an invocation whose log flush first waits 30 s for a timed upload returns once its records are sent, and the next waits for its own', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    useFakeTime();
    const logs = heldLogExporter();
    const running = telemetryWith({ logs: logs.exporter });

    running.log('info', 'timed', {});
    await vi.advanceTimersByTimeAsync(6_000);
    expect(logs.batches).toEqual([['timed']]);
    running.log('info', 'first', {});
    const first = running.flush();
    // The processor gives the timed upload up at 30 s from its start, then sends the invocation's record.
    await vi.advanceTimersByTimeAsync(31_000);
    expect(logs.batches).toEqual([['timed'], ['first']]);
    expect(await settled(first)).toBe(false);

    running.log('info', 'second', {});
    const second = running.flush();
    logs.finishOne();
    logs.finishOne();
    await vi.advanceTimersByTimeAsync(0);
    await first;
    expect(logs.batches).toEqual([['timed'], ['first'], ['second']]);
    expect(await settled(second)).toBe(false);
    logs.finishOne();
    await vi.advanceTimersByTimeAsync(0);
    await second;
    expect(warn).not.toHaveBeenCalled();
  });

  // OpenTelemetry's log processor awaits its exporter's own flush unbounded: were that to hang, its flush never ends, and
  // every later one returns at once with its records left buffered (the processor starts no timer while it flushes).
  it('after a log flush hung past the longest a flush can run, each invocation says its logs were not sent until it ends', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    useFakeTime();
    const exported: string[] = [];
    let release = () => undefined as void;
    const logs = {
      export: (records: ReadableLogRecord[], done: (result: ExportResult) => void) => {
        exported.push(...records.map((record) => String(record.body)));
        done({ code: ExportResultCode.SUCCESS });
      },
      forceFlush: () => new Promise<void>((resolve) => (release = resolve)),
      shutdown: () => Promise.resolve(),
    };
    const running = telemetryWith({ logs });

    running.log('info', 'first', {});
    const first = running.flush();
    await vi.advanceTimersByTimeAsync(150_000);
    await first;
    expect(warn).toHaveBeenCalledTimes(1);

    running.log('info', 'later', {});
    const later = running.flush();
    await vi.advanceTimersByTimeAsync(40_000);
    await later;
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/not all sent .* \(logs: /));

    // Once the hung flush ends, the flushes after it wait for their own records again and say nothing: without that,
    // one long flush left every later invocation warning that its logs were not sent, for the instance's life.
    release();
    await vi.advanceTimersByTimeAsync(10_000);
    logs.forceFlush = () => Promise.resolve();
    running.log('info', 'after', {});
    const after = running.flush();
    await vi.advanceTimersByTimeAsync(40_000);
    await after;
    expect(exported).toContain('after');
    expect(warn).toHaveBeenCalledTimes(2);
    await shutDownOnFakeTime(running);
  });

  // A failure was counted only if it came after the flush began: one of an upload OpenTelemetry's own timer started
  // (5 s after a record) that failed before the invocation ended went unsaid.
  it('a timed upload that failed before an invocation ended is reported by its flush, and by no later one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    useFakeTime();
    const logs = failingExporter();
    const running = telemetryWith({ logs });

    running.log('info', 'timed', {});
    await vi.advanceTimersByTimeAsync(5_000);
    expect(logs.sent).toBe(1);
    const first = running.flush();
    await vi.advanceTimersByTimeAsync(0);
    await first;
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not all sent .* \(logs: an export failed or did not answer\)/));

    endInvocation('logged nothing');
    const second = running.flush();
    await vi.advanceTimersByTimeAsync(0);
    await second;
    expect(warn).toHaveBeenCalledTimes(1);
  });

  // The warnings' processor shut the shared log exporter down as well, alongside the logs' own: a warning from the
  // shutdown's last flush could reach an exporter already shut down, which was shut down twice.
  it('shutting down sends the warning of its last flush before the log exporter shuts down, which it shuts down once', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logs = {
      bodies: [] as unknown[],
      shutdowns: 0,
      export(records: ReadableLogRecord[], done: (result: ExportResult) => void) {
        if (logs.shutdowns > 0) return done({ code: ExportResultCode.FAILED });
        logs.bodies.push(...records.map((record) => record.body));
        done({ code: ExportResultCode.SUCCESS });
      },
      forceFlush: () => Promise.resolve(),
      shutdown() {
        logs.shutdowns += 1;
        return Promise.resolve();
      },
    };
    const running = telemetryWith({ spans: failingExporter(), logs });

    endInvocation('last');
    telemetry = undefined;
    await running.shutdown();

    expect(logs.bodies).toEqual([expect.stringMatching(/not all sent .* \(spans: /)]);
    expect(logs.shutdowns).toBe(1);
  });
});
