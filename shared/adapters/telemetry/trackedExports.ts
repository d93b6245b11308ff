import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';

/**
 * What OpenTelemetry calls on a span, log record or metric exporter, and nothing else: a batch goes out and `done`
 * is told how it went; `forceFlush` and `shutdown` (a span exporter may lack `forceFlush`); and the metric reader asks
 * which temporality and aggregation to use, when the exporter has an answer (@opentelemetry/sdk-trace 2.x
 * BatchSpanProcessorBase and SimpleSpanProcessor, @opentelemetry/sdk-logs BatchLogRecordProcessorBase,
 * @opentelemetry/sdk-metrics PeriodicExportingMetricReader).
 */
interface Exporter<Batch> {
  export(batch: Batch, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
  selectAggregationTemporality?: NonNullable<PushMetricExporter['selectAggregationTemporality']>;
  selectAggregation?: NonNullable<PushMetricExporter['selectAggregation']>;
}

/** The tracked exporter: one of each kind, as OpenTelemetry takes it (a log or metric exporter must have `forceFlush`). */
type TrackedExporter<Batch> = Exporter<Batch> & { forceFlush(): Promise<void> };

export interface TrackedExports<Batch> {
  /** The exporter to give OpenTelemetry: each call passed to the one given, its exports tracked. */
  exporter: TrackedExporter<Batch>;
  /** Settles once the exports now under way have answered or been under way `deadlineMs` (which counts as failed). */
  settled(): Promise<void>;
  /**
   * Whether none failed that an earlier call has not told of: each failure is told once, by the first call after it,
   * however long before that call it happened. With `notSent` the caller says the signal was not all sent (it stopped
   * waiting, say): a failure of the exports the last `settled` waited for, still under way, is then told by it, not
   * again by the call after. One started since (by OpenTelemetry's own timer, holding later telemetry) is not: its
   * failure is told by the first call after it.
   */
  allSent(notSent: boolean): boolean;
}

/**
 * Wraps an exporter of spans, log records or metrics to know how its exports went, whichever of OpenTelemetry's
 * processors started them (a flush, or its own timer). A flush alone does not say: the log processor and the
 * metric reader resolve it whatever the export answered (@opentelemetry/sdk-logs 0.218.0,
 * build/src/export/BatchLogRecordProcessorBase.js lines 56–61 and 173–180; @opentelemetry/sdk-metrics 2.12.1,
 * build/src/export/PeriodicExportingMetricReader.js lines 86–93 and 131–133), and a failed timed span export is
 * not retried. An export is waited for at most `deadlineMs` from its start, so one that never answers holds later
 * flushes only that long.
 */
export function trackedExports<Batch>(exporter: Exporter<Batch>, deadlineMs: number): TrackedExports<Batch> {
  /** Each export under way, and whether a caller has already told of it as not sent. */
  const underWay = new Map<Promise<void>, { told: boolean }>();
  let failed = 0;
  let told = 0;
  let waitedFor = new Set<Promise<void>>();
  function trackedExport(batch: Batch, done: (result: ExportResult) => void): void {
    let answered = () => undefined as void;
    const answer = new Promise<void>((resolve) => (answered = resolve));
    // The first of its answer and its expiry counts; an answer after the expiry still goes to OpenTelemetry.
    const end = (ok: boolean) => {
      const export_ = underWay.get(answer);
      if (!export_) return;
      underWay.delete(answer);
      clearTimeout(expiry);
      if (!ok && !export_.told) failed += 1;
      answered();
    };
    const expiry = setTimeout(() => end(false), deadlineMs).unref();
    underWay.set(answer, { told: false });
    try {
      exporter.export(batch, (result) => {
        end(result.code === ExportResultCode.SUCCESS);
        done(result);
      });
    } catch (error) {
      end(false);
      throw error;
    }
  }
  // The metric reader takes its selectors only from an exporter that has them, so only those it has are passed on.
  const temporality = exporter.selectAggregationTemporality?.bind(exporter);
  const aggregation = exporter.selectAggregation?.bind(exporter);
  const tracked: TrackedExporter<Batch> = {
    export: trackedExport,
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    ...(temporality && { selectAggregationTemporality: temporality }),
    ...(aggregation && { selectAggregation: aggregation }),
  };
  return {
    exporter: tracked,
    async settled() {
      waitedFor = new Set(underWay.keys());
      await Promise.all(waitedFor);
    },
    allSent(notSent) {
      const untold = failed - told;
      told = failed;
      if (notSent) for (const [answer, export_] of underWay) if (waitedFor.has(answer)) export_.told = true;
      return untold === 0;
    },
  };
}
