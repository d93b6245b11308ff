import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import type { OutboxMessage } from '../../../shared/notifications/OutboxMessage.js';
import type { ReconnectLinks } from '../../../shared/notifications/ReconnectPorts.js';
import { renderWithReconnectOffers, withReconnectOffers } from '../../../shared/notifications/withReconnectOffers.js';
import { tokenFailed } from './notificationFixtures.js';

const now = DateTime.fromISO('2026-12-01T09:30:00Z', { zone: 'utc' });
const render = { portalBase: 'https://portal.azure.com', timeZone: 'UTC' };
const item = (event: VigilEvent, reason: NotificationItem['reason'] = 'new'): NotificationItem => ({
  findingId: findingOf(event).id,
  reason,
  event,
});
const message = (channel: OutboxMessage['channel'], items: NotificationItem[]): OutboxMessage => ({
  id: 'm1',
  route: 'ops',
  channel,
  createdAt: '2026-11-23T06:00:00.000Z',
  held: false,
  items,
});

function recording(answer: (event: VigilEvent) => ReturnType<ReconnectLinks>) {
  const asked: Array<{ connection: string; at: string }> = [];
  const links: ReconnectLinks = async (event, at) => {
    asked.push({ connection: event.subject.id, at: at.toISO()! });
    return answer(event);
  };
  return { asked, links };
}

describe('withReconnectOffers', () => {
  it('mints one link per item needing action as a mail, card or Slack message is sent, at the time of sending', async () => {
    for (const channel of [{ kind: 'mail' }, { kind: 'teams', name: 'ops' }, { kind: 'slack', name: 'ops' }] as const) {
      const r = recording(async (e) => ({ kind: 'link', url: `https://vigil.example/api/sign-in/${e.subject.id}`, expiresAt: 'x' }));
      const items = [item(tokenFailed('a')), item(tokenFailed('b')), item(tokenFailed('c'), 'recovered')];
      const options = await withReconnectOffers(message(channel, items), render, r.links, now);
      expect(r.asked).toEqual([
        { connection: 'a', at: '2026-12-01T09:30:00.000Z' },
        { connection: 'b', at: '2026-12-01T09:30:00.000Z' },
      ]);
      expect([...options.reconnect!.keys()]).toEqual([items[0]!.findingId, items[1]!.findingId]);
    }
  });

  it('mints nothing for webhooks and PagerDuty', async () => {
    for (const channel of [
      { kind: 'webhook', name: 'cerb' },
      { kind: 'pagerduty', name: 'ops' },
    ] as const) {
      const r = recording(async () => ({ kind: 'link', url: 'https://vigil.example/api/sign-in/x', expiresAt: 'x' }));
      expect(await withReconnectOffers(message(channel, [item(tokenFailed())]), render, r.links, now)).toBe(render);
      expect(r.asked).toEqual([]);
    }
  });

  it('turns a failure to mint into an offer that says so, never a failed delivery', async () => {
    const r = recording(async () => {
      throw Object.assign(new Error('table down, request body …'), { statusCode: 503, code: 'ServerBusy' });
    });
    const options = await withReconnectOffers(message({ kind: 'mail' }, [item(tokenFailed())]), render, r.links, now);
    const offer = [...options.reconnect!.values()][0];
    expect(offer).toMatchObject({ kind: 'unavailable' });
    expect(JSON.stringify(offer)).not.toContain('request body');
  });
});

describe('renderWithReconnectOffers', () => {
  it('renders a card with the offers of the items it shows, and its last rendering is the message', async () => {
    const r = recording(async (e) => ({ kind: 'link', url: `https://vigil.example/api/sign-in/${e.subject.id}`, expiresAt: 'x' }));
    const items = [item(tokenFailed('a')), item(tokenFailed('b')), item(tokenFailed('c'))];
    const renderings: number[] = [];
    // A card with room for two items, whatever their offers.
    const card = await renderWithReconnectOffers(message({ kind: 'teams', name: 'ops' }, items), render, r.links, now, (options) => {
      renderings.push(options.reconnect?.size ?? 0);
      return { shownFindings: items.slice(0, 2).map((i) => i.findingId), offers: options.reconnect?.size ?? 0 };
    });
    expect(r.asked.map((a) => a.connection)).toEqual(['a', 'b']);
    // Rendered to see what is in view, then once with the links: not a third time by the caller.
    expect(renderings).toEqual([0, 2]);
    expect(card.offers).toBe(2);
  });

  it('renders once, with no links, when sign-in links are off', async () => {
    let renderings = 0;
    const card = await renderWithReconnectOffers(
      message({ kind: 'slack', name: 'ops' }, [item(tokenFailed())]),
      render,
      undefined,
      now,
      () => {
        renderings += 1;
        return { shownFindings: ['x'] };
      },
    );
    expect(card).toEqual({ shownFindings: ['x'] });
    expect(renderings).toBe(1);
  });
});
