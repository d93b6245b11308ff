import { useInstrumenter } from '@azure/core-tracing';
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Counter,
  type Gauge,
  type Histogram,
  type Span,
} from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { batched } from '../../helpers/batched.js';
import type { Telemetry } from '../../telemetry/Telemetry.js';
import { toDimensions, toLogProperties } from '../../telemetry/toDimensions.js';
import { vigilMetrics, type VigilMetricKey } from '../../telemetry/vigilMetrics.js';
import { createAzureSdkInstrumenter } from './createAzureSdkInstrumenter.js';
import { redactedUrlAttributes } from './redactUrl.js';
import { toDeniedService } from './toDeniedService.js';
import { afterTheLast, verdictsWithin } from './flushTurns.js';
import { trackedExports } from './trackedExports.js';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();

/** Where the three signals go: Azure Monitor in Azure, memory in the dev host and tests. */
export interface TelemetryExporters {
  metrics: PushMetricExporter;
  spans: SpanExporter;
  logs: LogRecordExporter;
}

/**
 * How long an invocation waits at most for its telemetry to be sent as it ends. OpenTelemetry's processors
 * give up on an export after 30 s (their `exportTimeoutMillis`), so one upload they still wait for is not cut
 * short (the log processor's whole flush may run on past it, up to `logFlushMostMs`, while the invocation
 * stops waiting); it stays far inside host.json's `functionTimeout` (10 min). It bounds what they do not: an exporter
 * that never answers, which would otherwise hold this invocation and, the flush being shared, every later one
 * (an export is waited for at most this long from its start, however many flushes see it under way).
 */
const flushDeadlineMs = 40_000;

/**
 * The log processor's batching, OpenTelemetry's defaults written out for `logFlushMostMs`: a flush exports at most
 * `maxQueueSize` records, `maxExportBatchSize` an export, each given up on after `exportTimeoutMillis`.
 */
const logBatching = { maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30_000 };
/** The longest the log processor's flush can run: the export under way as it starts, then each of its own. */
const logFlushMostMs = logBatching.exportTimeoutMillis * (1 + logBatching.maxQueueSize / logBatching.maxExportBatchSize);

/**
 * Vigil's OpenTelemetry pipeline. Metrics, spans and logs are buffered and sent when an invocation ends
 * (`flush`), since a Flex Consumption instance may be frozen or recycled right after. Every span is kept
 * (no sampling: Vigil's volume is small, and a dropped 401 is the one that mattered); outgoing `fetch`
 * calls (Teams, webhooks) are traced through undici's diagnostics channels, and the Azure SDKs' calls, Graph's
 * and the token requests (tenant sign-ins and refreshes, createNodeSender) through the SDKs' tracing hook, so
 * no module needs patching.
 */
export function createOpenTelemetry(exporters: TelemetryExporters, serviceName = 'vigil', deadlineMs = flushDeadlineMs): Telemetry {
  // One context manager per process: it carries the invocation's trace to the calls made within it.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  const spanExports = trackedExports(exporters.spans, deadlineMs);
  const logExports = trackedExports(exporters.logs, deadlineMs);
  const metricExports = trackedExports(exporters.metrics, deadlineMs);
  const meters = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: metricExports.exporter, exportIntervalMillis: 60_000 })],
  });
  const tracers = new BasicTracerProvider({
    resource,
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new BatchSpanProcessor(spanExports.exporter)],
  });
  // Flushed directly, not through the provider, whose flush gives up at 30 s (its forceFlushTimeoutMillis) while the
  // processor's own may run on for up to `logFlushMostMs`.
  const logProcessor = new BatchLogRecordProcessor(logExports.exporter, logBatching);
  const loggers = new LoggerProvider({ resource, processors: [logProcessor] });
  // The warning below goes by its own processor, its exports untracked: with a log exporter that keeps failing, the
  // warning's own loss would otherwise be warned about by the flush after, and that warning's by the next, for ever.
  // The exporter is shared, so only the logs' processor shuts it down (once, after this one sent its last warning).
  const warningExporter: LogRecordExporter = {
    export: (records, done) => exporters.logs.export(records, done),
    forceFlush: () => exporters.logs.forceFlush(),
    shutdown: () => Promise.resolve(),
  };
  const warnings = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor(warningExporter)] });
  const instruments = createInstruments(meters);
  const denied = instruments.identityDenied as Counter;
  useInstrumenter(
    createAzureSdkInstrumenter(tracers.getTracer('vigil.azure-sdk'), (sdk, status) => {
      const service = toDeniedService(sdk, status);
      if (service) denied.add(1, { service });
    }),
  );
  // Subscribes to undici's diagnostics channels at once; spans go to `tracers` from here on.
  const undici = new UndiciInstrumentation({ startSpanHook: (request) => redactedUrlAttributes(request.origin + request.path) });
  undici.setTracerProvider(tracers);
  const logger = loggers.getLogger('vigil');
  const warning = warnings.getLogger('vigil');
  const tracer = tracers.getTracer('vigil');
  // One export of the three signals at a time: invocations that end while one runs share the next, which starts
  // after it and so holds all they buffered; each still returns only once its own telemetry is sent. Exporting per
  // invocation collected every metric and sent a batch of each signal for each of them (16 or more at once).
  // A processor's flush does not wait for an export its own timer started (the span processor's, 5 s after the first
  // span), which may have taken these invocations' telemetry while they waited their turn: so each signal is sent
  // once its flush is done and the exports under way then have answered, with no failure not told before (`allSent`).
  // Each caller asks with its time: a batch has what is left of its earliest caller's deadline, so no invocation waits
  // more than `deadlineMs` in all, the batch before its own included.
  const signals = [
    { name: 'spans', exports: spanExports, flush: () => tracers.forceFlush() },
    { name: 'logs', exports: logExports, flush: afterTheLast(() => logProcessor.forceFlush(), logFlushMostMs) },
    { name: 'metrics', exports: metricExports, flush: () => meters.forceFlush() },
  ];
  const flushTogether = batched<number, void>(async (askedAt) => {
    const left = Math.max(0, Math.min(...askedAt) + deadlineMs - Date.now());
    // A span export that failed or outlived OpenTelemetry's 30 s also rejects the tracers' flush.
    const sent = signals.map(async ({ exports, flush }) => {
      const flushed = await flush().then(
        () => true,
        () => false,
      );
      await exports.settled();
      return flushed;
    });
    // The warnings of the batches before go with this one; whether they were sent is not told (see `warnings`). Its
    // provider's flush rejects after 30 s of a hung upload: that is a verdict too, never the invocation's failure.
    const warned = warnings.forceFlush().then(() => true);
    const answers = await verdictsWithin([...sent, warned], left);
    // Every signal is asked (before any is filtered), so that each failure is told once: here, or by a later batch if it comes after this.
    const allSent = signals.map(({ exports }, i) => exports.allSent(!answers[i]));
    const notSent = signals.filter((_, i) => !allSent[i] || !answers[i]).map((signal) => signal.name);
    if (notSent.length > 0) {
      // Never silent: to the host's log (the worker's console, at the app's level) at once, and as a record sent by a later export.
      const message = `Warning: telemetry was not all sent within ${deadlineMs} ms of an invocation's end (${notSent.join(', ')}: an export failed or did not answer); some may be lost`;
      console.warn(message);
      warning.emit({ body: message, severityNumber: SeverityNumber.WARN, severityText: 'warn', attributes: { deadlineMs, notSent } });
    }
    return askedAt.map(() => undefined);
  });
  const flush = () => flushTogether(Date.now());
  return {
    count: (metric, dimensions, value = 1) => (instruments[metric] as Counter).add(value, attributes(dimensions)),
    gauge: (metric, value, dimensions) => (instruments[metric] as Gauge).record(value, attributes(dimensions)),
    record: (metric, value, dimensions) => (instruments[metric] as Histogram).record(value, attributes(dimensions)),
    recordFailure(name, reason) {
      const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL });
      markFailed(span, reason);
      span.end();
    },
    log: (level, message, properties) =>
      logger.emit({ body: message, severityNumber: severities[level], severityText: level, attributes: toLogProperties(properties) }),
    async run(traceParent, work) {
      const parent = traceParent ? propagator.extract(ROOT_CONTEXT, { traceparent: traceParent }, defaultTextMapGetter) : ROOT_CONTEXT;
      try {
        return await context.with(parent, work);
      } finally {
        await flush();
      }
    },
    flush,
    async shutdown() {
      undici.disable();
      await flush();
      // The warnings first: the shutdown's own flush may have warned, and that goes before the logs' processor shuts the
      // exporter down.
      await warnings.shutdown().catch(() => undefined);
      await Promise.allSettled([meters.shutdown(), tracers.shutdown(), loggers.shutdown()]);
    },
  };
}

function markFailed(span: Span, reason: string): void {
  span.recordException({ name: 'UnexpectedFailure', message: reason });
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}

const severities = { info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR };

function createInstruments(meters: MeterProvider): Record<VigilMetricKey, Counter | Gauge | Histogram> {
  const meter = meters.getMeter('vigil');
  const entries = Object.entries(vigilMetrics).map(([key, spec]) => {
    const options = { unit: spec.unit };
    const instrument =
      spec.kind === 'counter'
        ? meter.createCounter(spec.name, options)
        : spec.kind === 'gauge'
          ? meter.createGauge(spec.name, options)
          : meter.createHistogram(spec.name, options);
    return [key, instrument] as const;
  });
  return Object.fromEntries(entries) as Record<VigilMetricKey, Counter | Gauge | Histogram>;
}

/** A metric's dimensions: text as `toDimensions` lets it leave, numbers and booleans as they are (one pass: it runs per data point). */
function attributes(values: Record<string, string | number | boolean | undefined>): Attributes {
  const text: Record<string, string> = {};
  const other: Attributes = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string') text[key] = value;
    else if (value !== undefined) other[key] = value;
  }
  return Object.assign(toDimensions(text), other);
}
