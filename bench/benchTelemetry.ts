import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TelemetryExporters } from '../shared/adapters/telemetry/createOpenTelemetry.js';

/**
 * `VIGIL_BENCH_TELEMETRY=1`: the benches run Vigil with its production telemetry pipeline (createOpenTelemetry:
 * the context manager, a span per SDK and Graph request, metrics and logs, a flush per invocation) into
 * exporters that turn each batch into JSON and drop it, instead of with no telemetry. What it adds is the
 * cost of instrumenting and batching; Azure Monitor's own export (its envelopes, gzip and the upload) is not
 * in it, so a figure taken with it is a lower bound of production's.
 */
export function benchTelemetryExporters(env: NodeJS.ProcessEnv = process.env): TelemetryExporters | undefined {
  if (env.VIGIL_BENCH_TELEMETRY !== '1') return undefined;
  const done = (callback: (result: ExportResult) => void) => callback({ code: ExportResultCode.SUCCESS });
  return {
    spans: {
      export: (spans: ReadableSpan[], callback) => {
        JSON.stringify(spans.map((s) => ({ name: s.name, kind: s.kind, attributes: s.attributes, status: s.status, events: s.events })));
        done(callback);
      },
      shutdown: () => Promise.resolve(),
    },
    logs: {
      export: (records: ReadableLogRecord[], callback) => {
        JSON.stringify(records.map((r) => ({ body: r.body, severity: r.severityText, attributes: r.attributes })));
        done(callback);
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    },
    metrics: {
      export: (metrics: ResourceMetrics, callback) => {
        JSON.stringify(metrics.scopeMetrics);
        done(callback);
      },
      selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    },
  };
}

/** The runtime options that run Vigil with the bench's telemetry (`VIGIL_BENCH_TELEMETRY=1`), or none. */
export function withBenchTelemetry(env: NodeJS.ProcessEnv = process.env): { telemetryExporters?: TelemetryExporters } {
  const exporters = benchTelemetryExporters(env);
  return exporters ? { telemetryExporters: exporters } : {};
}
