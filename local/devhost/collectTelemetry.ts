import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryExporters } from '../../shared/adapters/telemetry/createOpenTelemetry.js';
import { vigilMetrics, type VigilMetricKey } from '../../shared/telemetry/vigilMetrics.js';

/** One series of a metric as last exported: its dimensions and value (a sum, a last value or a count of samples). */
export interface MetricSeries {
  dimensions: Record<string, unknown>;
  value: number;
}

/** An outgoing call as Application Insights would show it in `dependencies`. */
export interface Dependency {
  name: string;
  url: string;
  status: number | undefined;
  /** The trace (operation) it belongs to: the host's invocation when it ran inside one. */
  traceId: string;
}

/** A span marked as an error, as Application Insights would show it: a failed dependency, its exception events. */
export interface FailedSpan {
  name: string;
  message: string | undefined;
  exceptions: string[];
  traceId: string;
}

export interface LogEntry {
  level: string;
  message: string;
  properties: Record<string, unknown>;
}

/**
 * Telemetry kept in memory, as the dev host and tests collect it instead of sending it to Azure Monitor:
 * the same pipeline (`createOpenTelemetry`) with in-memory exporters, read back in the shapes a person
 * would query in Application Insights. Values are cumulative since the runtime started.
 */
export interface CollectedTelemetry {
  exporters: TelemetryExporters;
  metric(key: VigilMetricKey): MetricSeries[];
  dependencies(): Dependency[];
  failures(): FailedSpan[];
  logs(): LogEntry[];
}

export function collectTelemetry(): CollectedTelemetry {
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  return {
    exporters: { metrics, spans, logs },
    metric(key) {
      const exported = metrics.getMetrics().at(-1);
      const data = exported?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === vigilMetrics[key].name);
      if (!data) return [];
      return data.dataPoints.map((point) => ({
        dimensions: point.attributes,
        value: data.dataPointType === DataPointType.HISTOGRAM ? (point.value as { count: number }).count : (point.value as number),
      }));
    },
    dependencies: () =>
      spans
        .getFinishedSpans()
        .filter((s) => s.kind === SpanKind.CLIENT)
        .map((s) => ({
          name: s.name,
          url: String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? ''),
          status: toNumber(s.attributes['http.response.status_code'] ?? s.attributes['http.status_code']),
          traceId: s.spanContext().traceId,
        })),
    failures: () =>
      spans
        .getFinishedSpans()
        .filter((s) => s.status.code === SpanStatusCode.ERROR)
        .map((s) => ({
          name: s.name,
          message: s.status.message,
          exceptions: s.events.filter((e) => e.name === 'exception').map((e) => String(e.attributes?.['exception.message'])),
          traceId: s.spanContext().traceId,
        })),
    logs: () =>
      logs.getFinishedLogRecords().map((r) => ({
        level: r.severityText ?? '',
        message: typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
        properties: { ...r.attributes },
      })),
  };
}

function toNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
