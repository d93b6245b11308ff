import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackedExports } from '../../../../shared/adapters/telemetry/trackedExports.js';

/** An exporter whose exports answer only when the test says, with the result it is given. */
function heldExporter() {
  const pending: Array<(result: ExportResult) => void> = [];
  const exporter = {
    export(_batch: unknown, done: (result: ExportResult) => void) {
      pending.push(done);
    },
  };
  const answer = (code: ExportResultCode) => pending.shift()?.({ code });
  return { exporter, answer };
}
const answered = vi.fn<(result: ExportResult) => void>();

afterEach(() => {
  vi.useRealTimers();
  answered.mockReset();
});

describe('trackedExports', () => {
  it('tells whether the exports under way and those that ended since watching began all succeeded', async () => {
    const held = heldExporter();
    const tracked = trackedExports(held.exporter, 40_000);
    tracked.exporter.export([], answered);
    held.answer(ExportResultCode.FAILED);

    // A failure before watching began is not this watch's.
    const allSent = tracked.watch();
    tracked.exporter.export([], answered);
    tracked.exporter.export([], answered);
    held.answer(ExportResultCode.SUCCESS);
    const settled = allSent();
    held.answer(ExportResultCode.FAILED);

    expect(await settled).toBe(false);
    expect(await tracked.watch()()).toBe(true);
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
    const allSent = tracked.watch();
    tracked.exporter.export([], answered);

    const settled = allSent();
    vi.advanceTimersByTime(1_000);
    expect(await settled).toBe(false);

    const afterIt = tracked.watch();
    held.answer(ExportResultCode.FAILED);
    expect(await afterIt()).toBe(true);
    expect(answered).toHaveBeenCalledTimes(1);
  });

  it('passes every other call to the exporter itself', () => {
    const exporter = {
      export: () => undefined,
      selectAggregationTemporality(this: { temporality: string }) {
        return this.temporality;
      },
      temporality: 'delta',
    };

    expect(trackedExports(exporter, 1_000).exporter.selectAggregationTemporality()).toBe('delta');
  });
});
