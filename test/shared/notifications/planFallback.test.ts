import { describe, expect, it } from 'vitest';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { planFallback, toFallbackMessages } from '../../../shared/notifications/planFallback.js';
import { expiring, NOW, routes, tokenRefreshed } from './notificationFixtures.js';

const item = (event = expiring(), reason: NotificationItem['reason'] = 'new'): NotificationItem => ({
  findingId: findingOf(event).id,
  reason,
  event,
});
const creatioOnly = routes({ rules: [{ match: { name: 'creatio*' }, routes: ['creatio'], final: true }] });
const labels = (plan: ReturnType<typeof planFallback>) => plan.targets.map((t) => (t.kind === 'mail' ? 'mail' : `${t.kind}:${t.name}`));

describe('planFallback', () => {
  it("hands a webhook's notices to the default route's mail and Teams, never to another webhook", () => {
    const plan = planFallback({ route: 'creatio', channel: { kind: 'webhook', name: 'creatio' }, items: [item()] }, creatioOnly, true);
    expect(plan.route).toBe('ops');
    expect(labels(plan)).toEqual(['mail', 'teams:ops']);
    expect(plan.items).toHaveLength(1);
  });

  it('leaves out what the rules gave the default route already, and records, which are for systems', () => {
    expect(
      planFallback({ route: 'creatio', channel: { kind: 'webhook', name: 'creatio' }, items: [item()] }, routes(), true).items,
    ).toEqual([]);
    const audit = planFallback(
      { route: 'audit', channel: { kind: 'webhook', name: 'audit' }, items: [item(tokenRefreshed(), 'info')] },
      routes(),
      true,
    );
    expect(audit.items).toEqual([]);
  });

  it("gives the default route's own failing channel nothing, and mail only when Vigil can send mail", () => {
    const teams = planFallback({ route: 'ops', channel: { kind: 'teams', name: 'ops' }, items: [item()] }, routes(), true);
    expect(labels(teams)).toEqual(['mail']);
    expect(teams.items).toEqual([]);
    expect(labels(planFallback({ route: 'ops', channel: { kind: 'mail' }, items: [item()] }, routes(), true))).toEqual(['teams:ops']);
    expect(labels(planFallback({ route: 'creatio', channel: { kind: 'webhook', name: 'creatio' }, items: [] }, routes(), false))).toEqual([
      'teams:ops',
    ]);
  });

  it('skips a Teams channel behind the same Workflow URL as the failing one', () => {
    const config = routes({
      routes: {
        ops: {
          mail: { to: ['ops@contoso.com'] },
          teams: [
            { name: 'ops', urlSecretName: 'shared-url' },
            { name: 'oncall', urlSecretName: 'oncall-url' },
          ],
        },
        crm: { teams: [{ name: 'crm', urlSecretName: 'shared-url' }] },
      },
      rules: [],
    });
    expect(labels(planFallback({ route: 'crm', channel: { kind: 'teams', name: 'crm' }, items: [] }, config, true))).toEqual([
      'mail',
      'teams:oncall',
    ]);
  });

  it('puts the report first in each stand-in message and marks them so they never fall back again', () => {
    const failed = { route: 'creatio', channel: { kind: 'webhook' as const, name: 'creatio' }, items: [item()] };
    const plan = planFallback(failed, creatioOnly, true);
    const report = expiring({ app: 'report stand-in' });
    let id = 0;
    const messages = toFallbackMessages(failed, plan, report, NOW, () => `m-${++id}`);
    expect(messages.map((m) => [m.id, m.route, m.channel, m.held, m.fallbackFor, m.items.map((i) => i.event.id)])).toEqual([
      ['m-1', 'ops', { kind: 'mail' }, false, 'webhook:creatio on route creatio', [report.id, failed.items[0]!.event.id]],
      ['m-2', 'ops', { kind: 'teams', name: 'ops' }, false, 'webhook:creatio on route creatio', [report.id, failed.items[0]!.event.id]],
    ]);
  });

  it('lets Slack and PagerDuty stand in like Teams, except behind the failing secret; PagerDuty gets one message per finding', () => {
    const config = routes({
      routes: {
        ops: {
          mail: { to: ['ops@contoso.com'] },
          slack: [
            { name: 'ops', urlSecretName: 'slack-ops-url' },
            { name: 'ops-copy', urlSecretName: 'slack-ops-url' },
          ],
          pagerduty: [{ name: 'oncall', routingKeySecretName: 'pagerduty-oncall-key' }],
        },
        creatio: { webhooks: [{ name: 'creatio', url: 'https://creatio.example/webhooks', signingSecretName: 'creatio-key' }] },
      },
      rules: [{ match: { name: 'creatio*' }, routes: ['creatio'], final: true }],
    });
    const slack = planFallback({ route: 'ops', channel: { kind: 'slack', name: 'ops' }, items: [item()] }, config, true);
    expect(labels(slack)).toEqual(['mail', 'pagerduty:oncall']);
    const failed = {
      route: 'creatio',
      channel: { kind: 'webhook', name: 'creatio' } as const,
      items: [item(), item(expiring({ app: 'Creatio 2', appObjectId: 'a-2' }))],
    };
    const plan = planFallback(failed, config, true);
    expect(labels(plan)).toEqual(['mail', 'slack:ops', 'slack:ops-copy', 'pagerduty:oncall']);
    const report = expiring({ app: 'Report' });
    const messages = toFallbackMessages(failed, plan, report, NOW, () => 'id');
    expect(messages.filter((m) => m.channel.kind === 'pagerduty').map((m) => m.items.length)).toEqual([1, 1, 1]);
    expect(messages.filter((m) => m.channel.kind === 'slack').map((m) => m.items.length)).toEqual([3, 3]);
  });
});
