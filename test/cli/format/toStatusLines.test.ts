import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { HealthItem } from '../../../cli/apiSchemas.js';
import { toStatusLines } from '../../../cli/format/toStatusLines.js';

const now = DateTime.fromISO('2026-12-04T10:00:00Z', { zone: 'utc' });
const health: HealthItem = {
  status: 'degraded',
  checkedAt: '2026-12-04T10:00:00.000Z',
  storage: 'reachable',
  lastCompleted: { scan: '2026-12-04T09:40:00.000Z', refreshPlanner: '2026-12-03T07:00:00.000Z', delivery: null },
  poisonedMessages: 2,
  problems: ['2 message(s) wait in poison queues'],
};

describe('toStatusLines', () => {
  it('shows health, the findings on the ladder by severity, what to tidy up, tenants not checked and connections', () => {
    const lines = toStatusLines(
      health,
      {
        findingsBySeverity: { low: 2, critical: 1 },
        toTidyUp: 3,
        unscannedTenants: ['Fabrikam'],
        connectionsByStatus: { healthy: 4, failing: 1 },
      },
      now,
    );
    expect(lines).toEqual([
      'Vigil is DEGRADED (storage reachable, checked 2026-12-04 10:00:00Z)',
      '  ! 2 message(s) wait in poison queues',
      '  last runs: scan 20 min ago, refreshPlanner 27 h ago, delivery never',
      '  poison queues: 2',
      'Findings: 1 critical, 2 low; 3 to tidy up',
      '  COULD NOT CHECK 1 tenant(s): Fabrikam',
      'Token connections: 4 healthy, 1 failing',
    ]);
  });

  it('says a count could not be read instead of showing none', () => {
    const lines = toStatusLines(
      { ...health, status: 'ok', problems: [] },
      { findingsBySeverity: undefined, toTidyUp: undefined, unscannedTenants: undefined, connectionsByStatus: undefined },
      now,
    );
    expect(lines.slice(-3)).toEqual([
      'Findings: COULD NOT READ',
      '  tenants not checked: COULD NOT READ',
      'Token connections: COULD NOT READ',
    ]);
  });
});
