import { describe, expect, it } from 'vitest';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { oncePerFinding, planOutboxMessages } from '../../../shared/notifications/planOutboxMessages.js';
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

  it('lets a recovery that came last stand alone', () => {
    expect(oncePerFinding([item(expiring(), 'new'), item(rotated(), 'recovered')]).map((i) => i.reason)).toEqual(['recovered']);
  });
});
