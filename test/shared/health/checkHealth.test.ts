import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkHealth, type HealthSources } from '../../../shared/health/checkHealth.js';

const now = DateTime.fromISO('2026-12-01T12:00:00Z', { zone: 'utc' });
const hoursAgo = (h: number) => now.minus({ hours: h }).toISO()!;
const sources = (runs: Record<string, string>, depths: Record<string, number> = { 'vigil-outbox-poison': 0 }): HealthSources => ({
  lastCompleted: () => Promise.resolve(runs),
  poisonDepths: () => Promise.resolve(depths),
});

describe('checkHealth', () => {
  it('is ok when scans and refresh planning completed within 26 hours and nothing is parked', async () => {
    const report = await checkHealth(sources({ scan: hoursAgo(1), refreshPlanner: hoursAgo(25.9), delivery: hoursAgo(3) }), now);
    expect(report).toMatchObject({ status: 'ok', storage: 'reachable', poisonedMessages: 0, problems: [] });
    expect(report.lastCompleted).toMatchObject({ scan: hoursAgo(1), delivery: hoursAgo(3), rotationTimer: null });
  });

  it.each([
    [{ scan: hoursAgo(27), refreshPlanner: hoursAgo(1) }, 'no scan run has completed for over 26 hours'],
    [{ scan: hoursAgo(1) }, 'no refreshPlanner run has completed yet'],
  ])('is degraded when a watched producer is silent: %j', async (runs, problem) => {
    const report = await checkHealth(sources(runs), now);
    expect(report.status).toBe('degraded');
    expect(report.problems).toEqual([problem]);
  });

  it('is degraded when messages wait in poison queues', async () => {
    const report = await checkHealth(sources({ scan: hoursAgo(1), refreshPlanner: hoursAgo(1) }, { a: 2, b: 1 }), now);
    expect(report).toMatchObject({ status: 'degraded', poisonedMessages: 3, problems: ['3 message(s) wait in poison queues'] });
  });

  it('says storage cannot be reached rather than reporting no runs', async () => {
    const report = await checkHealth(
      { lastCompleted: () => Promise.reject(new Error('ECONNREFUSED')), poisonDepths: () => Promise.reject(new Error('ECONNREFUSED')) },
      now,
    );
    expect(report).toMatchObject({
      status: 'degraded',
      storage: 'unreachable',
      poisonedMessages: null,
      problems: ['storage cannot be reached'],
    });
    expect(JSON.stringify(report)).not.toContain('ECONNREFUSED');
  });
});
