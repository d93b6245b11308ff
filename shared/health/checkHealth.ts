import type { DateTime } from 'luxon';
import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';
import type { Producer } from '../telemetry/vigilMetrics.js';

/** The producers whose last completed run the health check reports, and whose silence degrades it. */
export const watchedProducers = ['scan', 'refreshPlanner'] as const satisfies readonly Producer[];
/** Matches the "no run completed" alert's default (infra/app/alerts.bicep): a day's runs plus margin. */
export const STALE_AFTER_HOURS = 26;

/** What the health check reads; each may throw when storage cannot be reached. */
export interface HealthSources {
  /** When each producer last completed a run (ISO times), from Vigil's own table. */
  lastCompleted(): Promise<Partial<Record<Producer, string>>>;
  /** Messages waiting in each poison queue. */
  poisonDepths(): Promise<Record<string, number>>;
}

const producers = [
  'scanPlanner',
  'scan',
  'refreshPlanner',
  'refresh',
  'delivery',
  'rotationTimer',
  'digest',
  'inventory',
] as const satisfies readonly Producer[];

export const healthReportSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checkedAt: instantSchema,
    storage: z.enum(['reachable', 'unreachable']),
    lastCompleted: z
      .record(z.enum(producers), instantSchema.nullable())
      .describe('Last completed run per producer; null when none is recorded (or storage cannot be read).'),
    poisonedMessages: z
      .int()
      .nullable()
      .describe('Messages parked in poison queues, all queues together; null when they cannot be counted.'),
    problems: z.array(z.string()).describe('Why the status is degraded, in words an operator acts on; nothing tenant-specific.'),
  })
  .meta({ id: 'Health', description: 'Only times and counts: nothing tenant-specific, so anyone may see it.' });
export type HealthReport = z.output<typeof healthReportSchema>;

/**
 * Vigil's health as a load balancer or monitor may see it: whether storage answers, when each producer
 * last completed, and whether messages wait in poison queues. Only times and counts: no tenant, name,
 * URL or reason, so it can be answered to anyone.
 */
export async function checkHealth(sources: HealthSources, now: DateTime): Promise<HealthReport> {
  const [runs, depths] = await Promise.allSettled([sources.lastCompleted(), sources.poisonDepths()]);
  const reachable = runs.status === 'fulfilled';
  const last = reachable ? runs.value : {};
  const lastCompleted = Object.fromEntries(producers.map((p) => [p, last[p] ?? null])) as Record<Producer, string | null>;
  const poisonedMessages = depths.status === 'fulfilled' ? Object.values(depths.value).reduce((a, b) => a + b, 0) : null;
  const problems: string[] = [];
  if (!reachable) problems.push('storage cannot be reached');
  else
    for (const producer of watchedProducers) {
      const at = lastCompleted[producer];
      if (!at) problems.push(`no ${producer} run has completed yet`);
      else if (Date.parse(at) < now.minus({ hours: STALE_AFTER_HOURS }).toMillis())
        problems.push(`no ${producer} run has completed for over ${STALE_AFTER_HOURS} hours`);
    }
  if (poisonedMessages === null && reachable) problems.push('poison queues cannot be counted');
  if (poisonedMessages) problems.push(`${poisonedMessages} message(s) wait in poison queues`);
  return {
    status: problems.length === 0 ? 'ok' : 'degraded',
    checkedAt: now.toUTC().toISO() ?? '',
    storage: reachable ? 'reachable' : 'unreachable',
    lastCompleted,
    poisonedMessages,
    problems,
  };
}
