import { ExportResultCode, type ExportResult } from '@opentelemetry/core';

/** What OpenTelemetry's span, log record and metric exporters share: a batch goes out and `done` is told how it went. */
interface Exporter {
  export(batch: unknown, done: (result: ExportResult) => void): void;
}

export interface TrackedExports<E extends Exporter> {
  /** The exporter to give OpenTelemetry: the same one, each of its exports tracked. */
  exporter: E;
  /**
   * Starts watching: the function returned settles, once the exports then under way have answered or been under way
   * `deadlineMs`, with whether every export that ended since `watch` succeeded (one that did not answer by then counts as failed).
   */
  watch(): () => Promise<boolean>;
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
export function trackedExports<E extends Exporter>(exporter: E, deadlineMs: number): TrackedExports<E> {
  const underWay = new Set<Promise<void>>();
  let failed = 0;
  function trackedExport(batch: unknown, done: (result: ExportResult) => void): void {
    let answered = () => undefined as void;
    const answer = new Promise<void>((resolve) => (answered = resolve));
    // The first of its answer and its expiry counts; an answer after the expiry still goes to OpenTelemetry.
    const end = (ok: boolean) => {
      if (!underWay.delete(answer)) return;
      clearTimeout(expiry);
      if (!ok) failed += 1;
      answered();
    };
    const expiry = setTimeout(() => end(false), deadlineMs).unref();
    underWay.add(answer);
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
  // Everything but `export` is the exporter's own, called on it: the metric reader also asks it which temporality
  // and aggregation to use.
  const tracked = new Proxy(exporter, {
    get(target, key) {
      if (key === 'export') return trackedExport;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    exporter: tracked,
    watch() {
      const failedBefore = failed;
      return async () => {
        await Promise.all(underWay);
        return failed === failedBefore;
      };
    },
  };
}
