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
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { batched } from '../../helpers/batched.js';
import type { Telemetry } from '../../telemetry/Telemetry.js';
import { toDimensions, toLogProperties } from '../../telemetry/toDimensions.js';
import { vigilMetrics, type VigilMetricKey } from '../../telemetry/vigilMetrics.js';
import { createAzureSdkInstrumenter } from './createAzureSdkInstrumenter.js';
import { redactedUrlAttributes } from './redactUrl.js';
import { toDeniedService } from './toDeniedService.js';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();

/** Where the three signals go: Azure Monitor in Azure, memory in the dev host and tests. */
export interface TelemetryExporters {
  metrics: PushMetricExporter;
  spans: SpanExporter;
  logs: LogRecordExporter;
}

/**
 * How long an invocation waits at most for its telemetry to be sent as it ends. OpenTelemetry's processors
 * give up on an export after 30 s (their `exportTimeoutMillis`), so an upload they still wait for is not cut
 * short; it stays far inside host.json's `functionTimeout` (10 min). It bounds what they do not: an exporter
 * that never answers, which would otherwise hold this invocation and, the flush being shared, every later one
 * (a span export is waited for at most this long from its start, however many flushes see it under way).
 */
const flushDeadlineMs = 40_000;

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
  const meters = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: 60_000 })],
  });
  const tracers = new BasicTracerProvider({
    resource,
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new BatchSpanProcessor(spanExports.exporter)],
  });
  const loggers = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor(exporters.logs)] });
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
  const tracer = tracers.getTracer('vigil');
  // One export of the three signals at a time: invocations that end while one runs share the next, which starts
  // after it and so holds all they buffered; each still returns only once its own telemetry is sent (on its own,
  // OpenTelemetry's log processor returns at once from a flush asked for while another runs). Exporting per
  // invocation collected every metric and sent a batch of each signal for each of them (16 or more at once).
  // The span processor's flush sends only what is still buffered and does not wait for its own timed export (5 s
  // after the first span, or at 512), which may have taken spans while these invocations waited their turn: so
  // the span exports under way as this one starts are waited for too (those that start later hold later spans).
  // Each caller asks with its time: a batch has what is left of its earliest caller's deadline, so no invocation
  // waits more than `deadlineMs` in all, the batch before its own included.
  const flushTogether = batched<number, void>(async (askedAt) => {
    const left = Math.max(0, Math.min(...askedAt) + deadlineMs - Date.now());
    const flushed = Promise.allSettled([meters.forceFlush(), tracers.forceFlush(), loggers.forceFlush()]);
    // Taken once the flush has started: the span processor hands its buffer to the exporter synchronously, so this
    // holds these invocations' own span export as well as any timed export that took their spans before it.
    const taken = spanExports.underWay();
    // A span export that failed or outlived OpenTelemetry's 30 s rejects the tracers' flush: not all sent either.
    const sent = Promise.all([taken, flushed]).then(([answered, [, spans]]) => answered && spans?.status === 'fulfilled');
    if (!(await within(sent, left))) {
      // Never silent: to the host's log (the worker's console, at the app's level) at once, and as a record sent by a later export.
      const message = `Warning: telemetry was not all sent within ${deadlineMs} ms of an invocation's end (an export failed or did not answer); some may be lost`;
      console.warn(message);
      logger.emit({ body: message, severityNumber: SeverityNumber.WARN, severityText: 'warn', attributes: { deadlineMs } });
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
      await Promise.allSettled([meters.shutdown(), tracers.shutdown(), loggers.shutdown()]);
    },
  };
}

/**
 * Wraps a span exporter to know which of its exports are under way: `underWay` settles once they all have
 * answered or been under way for `deadlineMs` (so one that never answers holds later flushes only that long),
 * with whether they all succeeded (a timed export that failed is not retried, and its spans are lost: said by the flush).
 */
function trackedExports(exporter: SpanExporter, deadlineMs: number) {
  const inFlight = new Set<Promise<boolean>>();
  const tracked: SpanExporter = {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      let finish = (_answered: boolean) => undefined as void;
      const answered = new Promise<boolean>((resolve) => (finish = resolve));
      const end = (ok: boolean) => {
        clearTimeout(expiry);
        inFlight.delete(answered);
        finish(ok);
      };
      const expiry = setTimeout(() => end(false), deadlineMs).unref();
      inFlight.add(answered);
      try {
        exporter.export(spans, (result) => {
          end(result.code === ExportResultCode.SUCCESS);
          done(result);
        });
      } catch (error) {
        end(false);
        throw error;
      }
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  return { exporter: tracked, underWay: () => Promise.all(inFlight).then((answers) => answers.every(Boolean)) };
}

/** What `work` settles to, or false once `ms` have passed without it (it is not waited for past them). */
async function within(work: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
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
