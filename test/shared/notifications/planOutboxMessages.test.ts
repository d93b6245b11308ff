import { describe, expect, it } from 'vitest';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { oncePerFinding, planOutboxMessages } from '../../../shared/notifications/planOutboxMessages.js';
import { newEvent } from '../../../shared/events/newEvent.js';
import { expiring, NOW, rotated, routes } from './notificationFixtures.js';

const item = (event: ReturnType<typeof expiring>, reason: NotificationItem['reason']): NotificationItem => ({
  findingId: findingOf(event).id,
  reason,
  event,
});

describe('planOutboxMessages', () => {
  it('lists a finding once per digest, its newest item under its strongest reason; webhooks get every event', () => {
    const first = item(expiring({ daysLeft: 8 }), 'new');
    const later = item(expiring({ daysLeft: 7, now: NOW.plus({ hours: 1 }) }), 'reminder');
    const other = item(expiring({ app: 'Creatio ERP', appObjectId: 'a-2', daysLeft: 3 }), 'new');
    let n = 0;
    const messages = planOutboxMessages(
      new Map([
        ['creatio', [first, later, other]],
        ['ops', [first, later, other]],
      ]),
      routes(),
      NOW,
      () => `m${n++}`,
    );
    const mail = messages.find((m) => m.route === 'ops' && m.channel.kind === 'mail')!;
    expect(mail.items.map((i) => [i.reason, 'daysLeft' in i.event.data ? i.event.data.daysLeft : undefined])).toEqual([
      ['new', 7],
      ['new', 3],
    ]);
    expect(messages.filter((m) => m.channel.kind === 'webhook').map((m) => m.items[0]!.reason)).toEqual(['new', 'reminder', 'new']);
    expect(messages.map((m) => m.id)).toEqual(messages.map((_, i) => `m${i}`));
  });

  it('gives a Slack channel the digest and PagerDuty one event per finding that pages: the newest, a trigger or the resolve', () => {
    const config = routes({
      routes: {
        ops: {
          slack: [{ name: 'ops', urlSecretName: 'slack-ops-url' }],
          pagerduty: [{ name: 'oncall', routingKeySecretName: 'pagerduty-oncall-key' }],
        },
      },
      rules: [],
    });
    const open = item(expiring({ daysLeft: 8 }), 'new');
    const fixed = item(rotated({ now: NOW.plus({ hours: 1 }) }), 'recovered');
    const other = item(expiring({ app: 'Creatio ERP', appObjectId: 'a-2', daysLeft: 3 }), 'new');
    const tidy = item(expiring({ app: 'Old', appObjectId: 'a-3', daysLeft: -3, overlap: true }), 'new');
    let n = 0;
    const messages = planOutboxMessages(new Map([['ops', [open, other, fixed, tidy]]]), config, NOW, () => `m${n++}`);
    expect(messages.filter((m) => m.channel.kind === 'slack').map((m) => m.items.length)).toEqual([3]);
    const paging = messages.filter((m) => m.channel.kind === 'pagerduty');
    expect(paging.map((m) => m.items.map((i) => [i.findingId, i.reason]))).toEqual([
      [[open.findingId, 'recovered']],
      [[other.findingId, 'new']],
    ]);
  });

  it('keeps reports about Vigil’s own delivery to people: a webhook never hears a recovery it was not told the failure of', () => {
    const recovered = newEvent(
      {
        type: 'delivery.recovered',
        tenantId: 'home',
        subject: { kind: 'channel', id: 'ops/mail', displayName: 'mail on route ops' },
        severity: 'info',
        summary: 'Vigil delivers to mail on route ops again.',
        dedupeKey: 'delivery.recovered|ops|mail|2026-11-20T00:00:00.000Z',
        data: { channel: 'mail', route: 'ops', failedSince: '2026-11-20T00:00:00.000Z' },
      },
      NOW,
    );
    const routed = [item(expiring(), 'new'), { findingId: findingOf(recovered).id, reason: 'recovered' as const, event: recovered }];
    const withWebhook = routes();
    withWebhook.routes['ops']!.webhooks.push(...withWebhook.routes['creatio']!.webhooks);
    const messages = planOutboxMessages(new Map([['ops', routed]]), withWebhook, NOW, () => 'm');
    const types = (kind: string) => messages.filter((m) => m.channel.kind === kind).flatMap((m) => m.items.map((i) => i.event.type));
    expect(types('webhook')).toEqual(['credential.expiring']);
    expect(types('teams')).toContain('delivery.recovered');
  });

  it('gives a batch endpoint one message per digest with every event, at most 100 to a message', () => {
    const config = routes();
    config.routes['creatio']!.webhooks[0]!.batch = true;
    const items = Array.from({ length: 250 }, (_, i) => item(expiring({ app: `Creatio ${i}`, appObjectId: `a-${i}` }), 'new'));
    let n = 0;
    const messages = planOutboxMessages(new Map([['creatio', items]]), config, NOW, () => `m${n++}`);
    expect(messages.map((m) => [m.channel, m.items.length])).toEqual([
      [{ kind: 'webhook', name: 'creatio' }, 100],
      [{ kind: 'webhook', name: 'creatio' }, 100],
      [{ kind: 'webhook', name: 'creatio' }, 50],
    ]);
    expect(messages.flatMap((m) => m.items)).toEqual(items);
  });

  it('lets a recovery that came last stand alone', () => {
    expect(oncePerFinding([item(expiring(), 'new'), item(rotated(), 'recovered')]).map((i) => i.reason)).toEqual(['recovered']);
  });
});
