import type { Severity } from '../events/vigilEvent.js';

/**
 * The numbers a Vigil dashboard charts (docs/deploy.md, "Telemetry"). Dimensions are kinds and ids only:
 * never a name, URL, message or anything a secret could hide in. Producers record one metric per run
 * (a gauge such as `findings`) or per operation (a duration or a delivery).
 */
export type VigilMetric =
  /** Token connections by their state after a refresh run. */
  | { name: 'connections'; value: number; dimensions: { status: string } }
  /** Open findings by severity, per tenant, after a scan. */
  | { name: 'findings'; value: number; dimensions: { severity: Severity; tenantId: string } }
  /** The fewest whole days left before a credential of this kind expires (negative once expired). */
  | { name: 'minDaysLeft'; value: number; dimensions: { credential: 'clientSecret' | 'certificate' | 'refreshToken'; tenantId?: string } }
  | { name: 'scanDurationMs'; value: number; dimensions: { tenantId: string; outcome: 'checked' | 'unchecked' } }
  /** One refresh of one connection; `outcome` is the refresh outcome kind (`refreshed`, `revoked`, …). */
  | { name: 'refreshDurationMs'; value: number; dimensions: { outcome: string } }
  /**
   * Outbox tickets handled, by channel kind and outcome (`delivered`, `retrying`, `fallback`, `poisoned`,
   * `dropped`); `unknown` is the channel of an outbox row or ticket too damaged to say.
   */
  | { name: 'deliveries'; value: number; dimensions: { channel: 'mail' | 'teams' | 'webhook' | 'unknown'; outcome: string } }
  /** Messages parked in a queue's poison queue (the host gave up on them, or Vigil parked an undeliverable notice). */
  | { name: 'poisonDepth'; value: number; dimensions: { queue: 'refresh' | 'scan' | 'rotation' | 'outbox' } };

/** Where producers send metrics; the functions build one per invocation around `context.log`. */
export interface MetricRecorder {
  record(metric: VigilMetric): void;
}

/** Every metric line starts with this, so one KQL filter finds them in the `traces` table. */
export const METRIC_LINE_PREFIX = 'vigil.metric ';
