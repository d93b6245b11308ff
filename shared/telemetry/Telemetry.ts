import type { DimensionsOf, MetricsOfKind } from './vigilMetrics.js';

/** A structured log record's properties: ids and kinds that locate what it is about, never a secret. */
export type LogProperties = Record<string, string | number | boolean | undefined>;

/**
 * What producers report about their work, whatever collects it (Azure Monitor in Azure, memory locally).
 * The functions receive it through the runtime; nothing it does may throw into the work it reports.
 */
export interface Telemetry {
  count<K extends MetricsOfKind<'counter'>>(metric: K, dimensions: DimensionsOf<K>, value?: number): void;
  gauge<K extends MetricsOfKind<'gauge'>>(metric: K, value: number, dimensions: DimensionsOf<K>): void;
  record<K extends MetricsOfKind<'histogram'>>(metric: K, value: number, dimensions: DimensionsOf<K>): void;
  /**
   * Marks the invocation's trace as failed: an error status and an exception event whose message is
   * `reason` (never the error's own text, which can quote a request or a secret), on a span named `name`
   * within the invocation's trace: the span the Functions host opened for the invocation lives in the host's
   * process, out of the worker's reach, and Vigil starts no span of its own that could be active here.
   */
  recordFailure(name: string, reason: string): void;
  /** A log record whose properties become columns (`customDimensions`): query by tenant, finding or connection. */
  log(level: 'info' | 'warn' | 'error', message: string, properties: LogProperties): void;
  /**
   * Runs one invocation's work as part of the host's trace for it (W3C `traceparent`, so the calls it makes
   * show as dependencies of the host's request), then sends what is buffered, before the host may freeze or
   * recycle the process.
   */
  run<T>(traceParent: string | undefined, work: () => Promise<T>): Promise<T>;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Flushes and stops collecting (the dev host's stop, tests). */
  shutdown(): Promise<void>;
}

/** Collects nothing. */
export const noTelemetry: Telemetry = {
  count: () => undefined,
  gauge: () => undefined,
  record: () => undefined,
  log: () => undefined,
  recordFailure: () => undefined,
  run: (_traceParent, work) => work(),
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
