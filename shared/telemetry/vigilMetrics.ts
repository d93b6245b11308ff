import type { Severity } from '../events/vigilEvent.js';

/**
 * Every metric Vigil emits, in one place: the instrument name Application Insights shows (the `name`
 * column of `customMetrics`), its kind and unit, and the dimensions it carries. The alert rules in
 * `infra/app/alerts.bicep` and the queries in docs/deploy.md name these metrics; a test checks they agree.
 *
 * Dimensions are kinds and ids only: never a display name, URL, message or anything a secret could hide
 * in (`toDimensions` replaces any other value). Application Insights keeps every dimension in the
 * `customMetrics` table; its metric store keeps the metric without dimensions unless "custom metric
 * dimensions" is turned on, so a metric alert that must not depend on that setting uses a metric whose
 * name alone says what happened (`vigil.identity.denied`, `vigil.queue.poisoned`).
 */
export const vigilMetrics = {
  /** One per run of a producer. `outcome: completed` means the run did its job (docs/deploy.md, "Run completed"). */
  runs: { name: 'vigil.runs', kind: 'counter', unit: '{run}', dimensions: ['producer', 'outcome'] },
  /** One per tenant scan: `checked`, `unchecked` (with `reason`) or `busy`; `mode` is `full` or `delta`. */
  scans: { name: 'vigil.scans', kind: 'counter', unit: '{scan}', dimensions: ['outcome', 'mode', 'reason'] },
  /** Open findings of one tenant by severity, after each checked scan. */
  findings: { name: 'vigil.findings', kind: 'gauge', unit: '{finding}', dimensions: ['severity', 'tenantId'] },
  /** One per refresh message: the refresh outcome kind (`refreshed`, `revoked`, …) or why none was tried. */
  refreshes: { name: 'vigil.refreshes', kind: 'counter', unit: '{refresh}', dimensions: ['outcome', 'status'] },
  /**
   * One per outbox ticket handled, by outcome (`delivered`, `retrying`, `fallback`, `poisoned`, `dropped`)
   * and channel kind (`mail`, `teams`, `webhook`; `unknown` for an outbox row or ticket that does not parse).
   */
  deliveries: { name: 'vigil.deliveries', kind: 'counter', unit: '{delivery}', dimensions: ['outcome', 'channel'] },
  /** Messages waiting in a poison queue, whenever Vigil counts them (health endpoint, poison watcher). */
  poisonDepth: { name: 'vigil.queue.poisoned', kind: 'gauge', unit: '{message}', dimensions: ['queue'] },
  /** How long a queue message waited between being queued and being handled. */
  queueAge: { name: 'vigil.queue.age', kind: 'histogram', unit: 's', dimensions: ['queue'] },
  /** Vigil's own identity was refused (401/403) by Graph, Key Vault or Storage. */
  identityDenied: { name: 'vigil.identity.denied', kind: 'counter', unit: '{call}', dimensions: ['service'] },
  /**
   * An HTTP handler threw and was answered with a 500 problem. The host records that invocation as a success
   * (its request succeeded: azure-functions-host#6511), so `requests/failed` never counts it; this does,
   * by `route`: the route's template (`sign-in/{link}`), never the request's path, which can carry a secret.
   */
  unexpectedFailures: { name: 'vigil.http.unexpected', kind: 'counter', unit: '{request}', dimensions: ['route'] },
} as const;

export type VigilMetricKey = keyof typeof vigilMetrics;
type Spec<K extends VigilMetricKey> = (typeof vigilMetrics)[K];
export type MetricsOfKind<Kind extends 'counter' | 'gauge' | 'histogram'> = {
  [K in VigilMetricKey]: Spec<K>['kind'] extends Kind ? K : never;
}[VigilMetricKey];

/** The producers whose runs `vigil.runs` counts. */
export type Producer = 'scanPlanner' | 'scan' | 'refreshPlanner' | 'refresh' | 'delivery' | 'rotationTimer' | 'digest' | 'inventory';

/** Dimension values by name; a metric takes only the dimensions it declares. */
interface DimensionValues {
  producer: Producer;
  outcome: string;
  mode: 'full' | 'delta';
  reason: string;
  severity: Severity;
  tenantId: string;
  status: string;
  queue: string;
  channel: 'mail' | 'teams' | 'slack' | 'pagerduty' | 'webhook' | 'unknown';
  service: 'graph' | 'keyVault' | 'storage';
  route: string;
}

export type DimensionsOf<K extends VigilMetricKey> = {
  [D in Spec<K>['dimensions'][number]]?: DimensionValues[D];
};
