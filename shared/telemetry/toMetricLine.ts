import { METRIC_LINE_PREFIX, type MetricRecorder, type VigilMetric } from './VigilMetric.js';

const id = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A kind such as `clientSecret` or `revoked`: short camelCase words, nothing a token or secret looks like. */
const kind = /^[a-z][a-zA-Z]{0,31}$/;
const REDACTED = 'redacted';

/**
 * One log line the Functions host forwards to Application Insights (`traces`), as flat JSON after
 * METRIC_LINE_PREFIX so KQL reads it with parse_json. A dimension value that is neither a kind nor an id
 * is replaced, not echoed: telemetry must never carry a secret, and must never stop the work it reports.
 */
export function toMetricLine(metric: VigilMetric): string {
  const dimensions = Object.entries(metric.dimensions as Record<string, string | undefined>)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => [key, id.test(value) || kind.test(value) ? value : REDACTED]);
  const value = Number.isFinite(metric.value) ? metric.value : null;
  return METRIC_LINE_PREFIX + JSON.stringify({ metric: metric.name, value, ...Object.fromEntries(dimensions) });
}

/** A recorder that writes metric lines with the given log function (an InvocationContext's `log`). */
export function logMetricRecorder(log: (line: string) => void): MetricRecorder {
  return { record: (metric) => log(toMetricLine(metric)) };
}
