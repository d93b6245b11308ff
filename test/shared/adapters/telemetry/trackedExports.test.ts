import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, InstrumentType, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackedExports } from '../../../../shared/adapters/telemetry/trackedExports.js';
import { heldExporter } from '../../../support/heldExporter.js';

const failed = { code: ExportResultCode.FAILED };
const answered = vi.fn<(result: ExportResult) => void>();

afterEach(() => {
  vi.useRealTimers();
  answered.mockReset();
});

describe('trackedExports', () => {
  it('tells whether the exports that ended since the last call all succeeded, each failure once, waiting for those under way', async () => {
    const held = heldExporter();
    const tracked = trackedExports(held.exporter, 40_000);
    tracked.exporter.export([], answered);
    held.finishOne(failed);

    // A failure before the call (a timed export's, say) is told by the first call after it, and by no other.
    await tracked.settled();
    expect(tracked.allSent(false)).toBe(false);
    expect(tracked.allSent(false)).toBe(true);

    tracked.exporter.export([], answered);
    tracked.exporter.export([], answered);
    held.finishOne();
    const settled = tracked.settled();
    held.finishOne(failed);

    await settled;
    expect(tracked.allSent(false)).toBe(false);
    expect(tracked.allSent(false)).toBe(true);
    // OpenTelemetry is told every answer, as it would be without the wrapper.
    expect(answered.mock.calls.map(([result]) => result.code)).toEqual([
      ExportResultCode.FAILED,
      ExportResultCode.SUCCESS,
      ExportResultCode.FAILED,
    ]);
  });

  it('counts an export that has not answered within the deadline as failed once, and still passes on its late answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held = heldExporter();
    const tracked = trackedExports(held.exporter, 1_000);
    tracked.exporter.export([], answered);

    const settled = tracked.settled();
    vi.advanceTimersByTime(1_000);
    await settled;
    expect(tracked.allSent(false)).toBe(false);

    held.finishOne(failed);
    expect(tracked.allSent(false)).toBe(true);
    expect(answered).toHaveBeenCalledTimes(1);
  });

  it('a failure of an export under way when the caller said its signal was not sent is not told again', () => {
    const held = heldExporter();
    const tracked = trackedExports(held.exporter, 40_000);
    tracked.exporter.export([], answered);
    void tracked.settled();
    tracked.allSent(true);

    held.finishOne(failed);
    tracked.exporter.export([], answered);
    expect(tracked.allSent(false)).toBe(true);
    held.finishOne(failed);
    expect(tracked.allSent(false)).toBe(false);
  });

  // Every export under way was taken as told: one OpenTelemetry's timer started after the caller stopped waiting, holding
  // a later invocation's telemetry, failed unsaid, and that invocation's flush reported all sent.
  it('an export started after the caller stopped waiting is not taken as told: its failure is told by the next call', () => {
    const held = heldExporter();
    const tracked = trackedExports(held.exporter, 40_000);
    tracked.exporter.export([], answered);
    void tracked.settled();
    tracked.exporter.export([], answered);
    tracked.allSent(true);

    held.finishOne(failed);
    held.finishOne(failed);
    expect(tracked.allSent(false)).toBe(false);
    expect(tracked.allSent(false)).toBe(true);
  });

  it("passes OpenTelemetry's other calls to the exporter itself, and the metric reader's questions only when it has an answer", async () => {
    const calls: string[] = [];
    const plain = {
      export: () => undefined,
      forceFlush: async () => void calls.push('forceFlush'),
      shutdown: async () => void calls.push('shutdown'),
    };
    const withTemporality = {
      ...plain,
      temporality: AggregationTemporality.DELTA,
      selectAggregationTemporality(this: { temporality: AggregationTemporality }) {
        return this.temporality;
      },
    };
    const readerOf = (exporter: typeof plain) => new PeriodicExportingMetricReader({ exporter: trackedExports(exporter, 1_000).exporter });

    expect(readerOf(withTemporality).selectAggregationTemporality(InstrumentType.COUNTER)).toBe(AggregationTemporality.DELTA);
    // An exporter with no answer leaves the reader its default, not a selector that answers nothing.
    expect(readerOf(plain).selectAggregationTemporality(InstrumentType.COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    const tracked = trackedExports(plain, 1_000).exporter;
    await tracked.forceFlush();
    await tracked.shutdown();
    expect(calls).toEqual(['forceFlush', 'shutdown']);
  });
});
