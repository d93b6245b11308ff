import type { Instrumenter, InstrumenterSpanOptions, SpanStatus, TracingContext, TracingSpan, TracingSpanKind } from '@azure/core-tracing';
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type AttributeValue,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { isTracingSuppressed, W3CTraceContextPropagator } from '@opentelemetry/core';
import { redactUrl } from './redactUrl.js';

const propagator = new W3CTraceContextPropagator();
const kinds: Record<TracingSpanKind, SpanKind> = {
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

/** Called when an Azure SDK request ends: what names the SDK (its `az.namespace` and user agent) and the HTTP status. */
export type OnAzureResponse = (sdk: string, status: number) => void;

/**
 * The Azure SDKs' tracing hook (`@azure/core-tracing`'s `useInstrumenter`) backed by OpenTelemetry, so
 * every Key Vault, Storage and managed-identity request becomes a dependency with its status code.
 * `@azure/opentelemetry-instrumentation-azure-sdk` installs the same thing by patching CommonJS `require`,
 * which an ESM app like Vigil never goes through; calling `useInstrumenter` directly needs no patching.
 */
export function createAzureSdkInstrumenter(tracer: Tracer, onResponse: OnAzureResponse): Instrumenter {
  return {
    startSpan(name: string, options: InstrumenterSpanOptions) {
      const parent = (options.tracingContext as Context | undefined) ?? context.active();
      const span = isTracingSuppressed(parent)
        ? trace.wrapSpanContext(INVALID_SPAN_CONTEXT)
        : tracer.startSpan(name, { kind: kinds[options.spanKind ?? 'internal'], attributes: toAttributes(options.spanAttributes) }, parent);
      const agent = options.spanAttributes?.['http.user_agent'];
      const userAgent = typeof agent === 'string' ? agent : '';
      return { span: new SdkSpan(span, userAgent, onResponse), tracingContext: trace.setSpan(parent, span) };
    },
    withContext(tracingContext, callback, ...callbackArgs) {
      return context.with(tracingContext, callback, undefined, ...callbackArgs);
    },
    parseTraceparentHeader(traceparentHeader: string): TracingContext | undefined {
      const extracted = propagator.extract(ROOT_CONTEXT, { traceparent: traceparentHeader }, defaultTextMapGetter);
      return trace.getSpanContext(extracted) ? extracted : undefined;
    },
    createRequestHeaders(tracingContext?: TracingContext): Record<string, string> {
      const headers: Record<string, string> = {};
      propagator.inject((tracingContext as Context | undefined) ?? context.active(), headers, defaultTextMapSetter);
      return headers;
    },
  };
}

/**
 * A span as the SDKs see it. `az.namespace` arrives as an attribute after the span starts (core-tracing's
 * `startSpan`). A class, not an object of closures: one is made for every request Vigil sends.
 */
class SdkSpan implements TracingSpan {
  private namespace = '';

  constructor(
    private readonly span: Span,
    private readonly userAgent: string,
    private readonly onResponse: OnAzureResponse,
  ) {}

  setStatus(status: SpanStatus): void {
    this.span.setStatus(
      status.status === 'success'
        ? { code: SpanStatusCode.OK }
        : { code: SpanStatusCode.ERROR, ...(status.error ? { message: errorName(status.error) } : {}) },
    );
  }

  setAttribute(key: string, value: unknown): void {
    const attribute = toAttribute(key, value);
    if (attribute !== undefined) this.span.setAttribute(key, attribute);
    if (key === 'az.namespace' && typeof value === 'string') this.namespace = value;
    if (key === 'http.status_code' && typeof value === 'number' && this.span.isRecording())
      this.onResponse(`${this.namespace} ${this.userAgent}`, value);
  }

  end(): void {
    this.span.end();
  }

  /** Only the error's name: SDK error messages can quote a response body. */
  recordException(exception: Error | string): void {
    this.span.recordException({ name: errorName(exception) });
  }

  isRecording(): boolean {
    return this.span.isRecording();
  }

  addEvent(name: string): void {
    this.span.addEvent(name);
  }
}

function errorName(error: Error | string): string {
  return typeof error === 'string' ? 'Error' : error.name;
}

/** The attributes a span starts with (one pass, no intermediate arrays: it runs for every request). */
function toAttributes(attributes: Record<string, unknown> | undefined): Record<string, AttributeValue> {
  const kept: Record<string, AttributeValue> = {};
  if (!attributes) return kept;
  for (const [key, value] of Object.entries(attributes)) {
    const attribute = toAttribute(key, value);
    if (attribute !== undefined) kept[key] = attribute;
  }
  return kept;
}

function toAttribute(key: string, value: unknown): AttributeValue | undefined {
  if (key === 'http.url' && typeof value === 'string') return redactUrl(value);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
