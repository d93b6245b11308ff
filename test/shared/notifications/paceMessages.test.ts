import { describe, expect, it } from 'vitest';
import type { ChannelRef, OutboxMessage } from '../../../shared/notifications/OutboxMessage.js';
import { paceMessages } from '../../../shared/notifications/paceMessages.js';
import { NOW, routes } from './notificationFixtures.js';

const pd = (name: string, secret: string) => [{ name, routingKeySecretName: secret }];
const config = routes({
  routes: {
    ops: { mail: { to: ['ops@contoso.com'] }, pagerduty: pd('oncall', 'pd-oncall-key') },
    crm: { mail: { to: ['crm@contoso.com'] }, pagerduty: pd('crm-oncall', 'pd-oncall-key') },
    infra: { pagerduty: pd('infra', 'pd-infra-key') },
  },
  rules: [],
});
let n = 0;
const message = (route: string, channel: ChannelRef): OutboxMessage => ({
  id: `m${n++}`,
  route,
  channel,
  createdAt: NOW.toISO()!,
  held: false,
  items: [],
});
const spacing = { mail: { count: 2, everyMs: 60_000 }, pagerduty: { count: 1, everyMs: 500 } };

describe('paceMessages', () => {
  it('paces PagerDuty channels behind one routing-key secret together, whatever their names and routes', () => {
    const messages = [
      message('ops', { kind: 'pagerduty', name: 'oncall' }),
      message('crm', { kind: 'pagerduty', name: 'crm-oncall' }),
      message('ops', { kind: 'pagerduty', name: 'oncall' }),
      message('infra', { kind: 'pagerduty', name: 'infra' }),
      message('crm', { kind: 'pagerduty', name: 'crm-oncall' }),
    ];
    const delays = paceMessages(messages, config, spacing);
    expect(messages.map((m) => delays.get(m.id))).toEqual([0, 500, 1000, 0, 1500]);
  });

  it('spreads mail across routes (one mailbox) by its count a minute, and sends kinds without a spacing at once', () => {
    const messages = [
      message('ops', { kind: 'mail' }),
      message('crm', { kind: 'mail' }),
      message('crm', { kind: 'mail' }),
      message('cerb', { kind: 'webhook', name: 'cerb' }),
      message('cerb', { kind: 'webhook', name: 'cerb' }),
    ];
    const delays = paceMessages(messages, config, spacing);
    expect(messages.map((m) => delays.get(m.id))).toEqual([0, 0, 60_000, 0, 0]);
  });
});
