import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { eventAsOf } from '../../../shared/notifications/eventAsOf.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { toCloudEvent } from '../../../shared/notifications/toCloudEvent.js';
import { toMailDigest } from '../../../shared/notifications/toMailDigest.js';
import { toPagerDutyEvent } from '../../../shared/notifications/toPagerDutyEvent.js';
import { toReminder } from '../../../shared/notifications/toReminder.js';
import { toSlackMessage } from '../../../shared/notifications/toSlackMessage.js';
import { toTeamsCard } from '../../../shared/notifications/toTeamsCard.js';
import { expiring, NOW, tokenFailed } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', timeZone: 'UTC' };

/** As the scanner reports a lapse two hours after it: "expired less than a day ago". */
function lapsed(): VigilEvent {
  const event = expiring({ daysLeft: -1, now: NOW });
  if (event.type !== 'credential.expired') throw new Error('fixture');
  const endDateTime = NOW.minus({ hours: 2 }).toISO()!;
  return {
    ...event,
    summary: `The client secret "prod" of Creatio CRM expired less than a day ago (${endDateTime.slice(0, 10)}) and nothing replaced it.`,
    impact: 'Creatio CRM will break unless it is renewed.',
    data: { ...event.data, endDateTime },
  };
}

describe('eventAsOf', () => {
  it('says an expiring credential again as it stands at a later moment, keeping what receivers dedupe on', () => {
    const first = expiring({ daysLeft: 3 });
    const later = eventAsOf(first, NOW.plus({ days: 5 }));
    expect(later.summary).toMatch(
      /^The client secret "prod" of Creatio CRM expired 2 days ago \(\d{4}-\d\d-\d\d\) and nothing replaced it\.$/,
    );
    expect(later.impact).toMatch(/^Creatio CRM cannot sign in with it since /);
    expect(later.data).toMatchObject({ daysLeft: -2 });
    expect([later.id, later.type, later.dedupeKey, findingOf(later).id]).toEqual([
      first.id,
      first.type,
      first.dedupeKey,
      findingOf(first).id,
    ]);
  });

  it('leaves words that do not age as the producer wrote them', () => {
    const event = tokenFailed();
    expect(eventAsOf(event, NOW.plus({ days: 7 }))).toBe(event);
  });

  it('makes a reminder on day 7 after a lapse say "expired 7 days ago" in every channel', () => {
    const first = lapsed();
    const findingId = findingOf(first).id;
    const day7 = NOW.plus({ days: 7, minutes: 30 });
    const note = { kind: 'afterLapse' as const, rung: 3, of: 6, since: first.time };
    const decided = toReminder(findingId, 'ops', first, undefined, note, day7, () => 'reminder-1');
    const item = decided.items[0]!;
    const channels = {
      mail: JSON.stringify(toMailDigest('ops', [item], render, day7)),
      teams: JSON.stringify(toTeamsCard('ops', [item], render, day7)),
      slack: JSON.stringify(toSlackMessage('ops', [item], render, day7)),
      pagerduty: JSON.stringify(toPagerDutyEvent(item, render, day7)),
      webhook: toCloudEvent(item).data.summary,
    };
    for (const [channel, text] of Object.entries(channels)) {
      expect(text, channel).toContain('expired 7 days ago');
      expect(text, channel).not.toContain('less than a day ago');
    }
    expect(channels.webhook).toMatch(/^Reminder: still open\. The client secret "prod" of Creatio CRM expired 7 days ago /);
    expect(toCloudEvent(item).data).toMatchObject({ dedupeKey: first.dedupeKey, type: 'credential.expired', data: { daysLeft: -7 } });
  });
});
