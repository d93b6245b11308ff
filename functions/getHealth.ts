import { DateTime } from 'luxon';
import { checkHealth } from '../shared/health/checkHealth.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { healthSources, recordPoisonDepths } from './poisonQueues.js';

/**
 * `GET /api/health`: for load balancers and monitors, which call without a key or token, so it is
 * anonymous and answers only what anyone may know: ok or degraded, whether storage answers, when each
 * producer last completed, how many messages wait in poison queues. 200 when ok, 503 when degraded.
 */
export const getHealth: FunctionDefinition = {
  kind: 'http',
  name: 'getHealth',
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  async handler(_request, _context, runtime) {
    await recordPoisonDepths(runtime);
    const report = await checkHealth(healthSources(runtime), DateTime.utc());
    return {
      status: report.status === 'ok' ? 200 : 503,
      headers: { 'Cache-Control': 'no-store' },
      jsonBody: report,
    };
  },
};
