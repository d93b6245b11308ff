import { ExportResultCode, type ExportResult } from '@opentelemetry/core';

/**
 * An OpenTelemetry exporter (spans, log records or metrics) whose exports finish only when the test says, as a slow
 * upload to Azure Monitor would, with the result it is given (a success unless told otherwise); `name` is what
 * `batches` records of each item.
 */
export function heldExporter<T>(name: (item: T) => string = () => '') {
  const batches: string[][] = [];
  const pending: Array<(result: ExportResult) => void> = [];
  const exporter = {
    export(items: T[], done: (result: ExportResult) => void) {
      batches.push(items.map(name));
      pending.push(done);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const finishOne = (result: ExportResult = { code: ExportResultCode.SUCCESS }) => pending.shift()?.(result);
  const finishNewest = () => pending.pop()?.({ code: ExportResultCode.SUCCESS });
  return { exporter, batches, finishOne, finishNewest };
}
