import { DateTime } from 'luxon';
import { deliverNotificationQueue } from '../../../functions/deliverNotificationQueue.js';
import { flushDigestQueue } from '../../../functions/flushDigestQueue.js';
import type { Runtime } from '../../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { testScenario, VAULT } from '../../support/testScenario.js';
import { drainQueues } from '../../support/drainQueues.js';

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
  /** Runs the digest flush and outbox queue functions until a pass finds nothing visible, as the dev host does. */
  drain(): Promise<number>;
  /** The same with another runtime (other settings) over the same cloud and storage. */
  drainWith(runtime: Runtime): Promise<number>;
  /** Runs only the digest flush: what a publish decided is then in the outbox, ticketed, and not yet sent. */
  flushDigests(): Promise<number>;
  /** The routes and mail settings the stack's runtime has, to build another runtime with `stack.runtimeWith`. */
  settings: Record<string, string>;
  /** The dev host's log lines (`function level line`). */
  logs: string[];
  captured(): { mail: number; teams: number; webhooks: number };
  /** What was sent since `before` (a `captured()`): mails, Teams cards and webhook calls. */
  since(before: { mail: number; teams: number; webhooks: number }): { mail: number; teams: number; webhooks: number };
}

export async function startNotificationStack(
  settings: Record<string, string> = {},
  options: { storageFaults?: boolean } = {},
): Promise<NotificationStack> {
  const stack = await startTestStack({ scenario: notificationScenario(), storageFaults: options.storageFaults ?? false });
  const sinks = stack.cloud.endpoints.sinks;
  await stack.secretClient(VAULT).setSecret('teams-ops-url', `${sinks}/teams/ops?sig=${TEAMS_SIG}`);
  const values = {
    VIGIL_ROUTES: JSON.stringify(routesFor(sinks)),
    VIGIL_MAIL_SENDER: OPS,
    VIGIL_RUNBOOK_URL: 'https://wiki.contoso.com/rotate',
    ...settings,
  };
  const runtimeWith = (overrides: Record<string, string>) => stack.runtimeWith({ ...values, ...overrides });
  const runtime = runtimeWith({});
  const definitions = [flushDigestQueue, deliverNotificationQueue];
  const logs: string[] = [];
  const drainWith = (with_: Runtime, only = definitions) =>
    drainQueues(only, with_, (name, level, line) => logs.push(`${name} ${level} ${line}`));
  const captured = () => {
    const data = stack.cloud.context.store.data;
    return { mail: data.mail.length, teams: data.teams.length, webhooks: data.webhooks.length };
  };
  return {
    stack,
    runtime,
    runtimeWith,
    settings: values,
    logs,
    drain: () => drainWith(runtime),
    drainWith,
    flushDigests: () => drainWith(runtime, [flushDigestQueue]),
    captured,
    since(before) {
      const now = captured();
      return { mail: now.mail - before.mail, teams: now.teams - before.teams, webhooks: now.webhooks - before.webhooks };
    },
  };
}

export const utcNow = (): DateTime => DateTime.utc();
