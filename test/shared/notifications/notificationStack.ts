import { DateTime } from 'luxon';
import { deliverNotificationQueue } from '../../../functions/deliverNotificationQueue.js';
import { flushDigestQueue } from '../../../functions/flushDigestQueue.js';
import { pollQueuesOnce } from '../../../local/devhost/runQueueFunctions.js';
import type { Runtime } from '../../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { testScenario, VAULT } from '../../support/testScenario.js';

export const SIGNING = {
  cerb: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  creatio: 'whsec_Y3JlYXRpby1zaWduaW5nLWtleS1mb3ItdGVzdHM=',
  dead: 'whsec_ZGVhZC1lbmRwb2ludC1zaWduaW5nLWtleS0wMQ==',
};
export const TEAMS_SIG = 'teams-workflow-sig-0123456789abcdef';
export const OPS = 'ops@contoso.onmicrosoft.com';

/** The test scenario plus signing keys in the vault and three receivers: cerb, creatio, and one that answers 410. */
export function notificationScenario() {
  const scenario = testScenario();
  const vault = scenario.vaults![0]!;
  vault.secrets = [
    ...(vault.secrets ?? []),
    ...Object.entries(SIGNING).map(([name, secret]) => ({
      name: `webhook-${name}-key`,
      value: { literal: secret },
      tags: { 'vigil-kind': 'notification-secret' },
    })),
  ];
  scenario.webhookEndpoints = [
    { name: 'cerb', secret: SIGNING.cerb },
    { name: 'creatio', secret: SIGNING.creatio },
    { name: 'dead', secret: SIGNING.dead, behaviour: 'gone' },
  ];
  return scenario;
}

export function routesFor(sinks: string) {
  const webhook = (name: string) => ({ name, url: `${sinks}/webhooks/${name}`, signingSecretName: `webhook-${name}-key` });
  return {
    defaultRoute: 'ops',
    routes: {
      ops: { mail: { to: [OPS] }, teams: [{ name: 'ops', urlSecretName: 'teams-ops-url' }] },
      cerb: { webhooks: [webhook('cerb')] },
      creatio: { webhooks: [webhook('creatio')] },
      dead: { webhooks: [webhook('dead')] },
    },
    rules: [
      { name: 'Cerb', match: { downstream: 'Cerb' }, routes: ['cerb', 'ops'] },
      { name: 'Creatio', match: { name: 'Creatio*' }, routes: ['creatio', 'ops'] },
      { name: 'Doomed', match: { name: 'Doomed*' }, routes: ['dead', 'creatio'] },
    ],
  };
}

export interface NotificationStack {
  stack: TestStack;
  runtime: Runtime;
  /** Another runtime on the same stack and routes, with some settings changed. */
  runtimeWith(settings: Record<string, string>): Runtime;
  /** Runs the outbox queue function until a pass finds nothing visible, as the dev host does. */
  drain(): Promise<number>;
  captured(): { mail: number; teams: number; webhooks: number };
}

export async function startNotificationStack(settings: Record<string, string> = {}): Promise<NotificationStack> {
  const stack = await startTestStack({ scenario: notificationScenario() });
  const sinks = stack.cloud.endpoints.sinks;
  await stack.secretClient(VAULT).setSecret('teams-ops-url', `${sinks}/teams/ops?sig=${TEAMS_SIG}`);
  const runtimeWith = (overrides: Record<string, string>) =>
    stack.runtimeWith({
      VIGIL_ROUTES: JSON.stringify(routesFor(sinks)),
      VIGIL_MAIL_SENDER: OPS,
      VIGIL_RUNBOOK_URL: 'https://wiki.contoso.com/rotate',
      ...settings,
      ...overrides,
    });
  const runtime = runtimeWith({});
  const definitions = [flushDigestQueue, deliverNotificationQueue];
  const logs: string[] = [];
  return {
    stack,
    runtime,
    runtimeWith,
    async drain() {
      let total = 0;
      for (;;) {
        const handled = await pollQueuesOnce(
          definitions,
          runtime,
          (name) => runtime.queue(name),
          (_, __, line) => logs.push(line),
        );
        if (handled === 0) return total;
        total += handled;
      }
    },
    captured() {
      const data = stack.cloud.context.store.data;
      return { mail: data.mail.length, teams: data.teams.length, webhooks: data.webhooks.length };
    },
  };
}

export const utcNow = (): DateTime => DateTime.utc();
