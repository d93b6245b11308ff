import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkTeamsMessage } from '../../../local/cloud/sinks/checkTeamsMessage.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { RenderOptions } from '../../../shared/notifications/describeItem.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import type { ReconnectOffer } from '../../../shared/notifications/ReconnectPorts.js';
import { toMailDigest } from '../../../shared/notifications/toMailDigest.js';
import { toPagerDutyEvent } from '../../../shared/notifications/toPagerDutyEvent.js';
import { toSlackMessage } from '../../../shared/notifications/toSlackMessage.js';
import { toTeamsCard } from '../../../shared/notifications/toTeamsCard.js';
import { tokenFailed } from './notificationFixtures.js';

const LINK = 'https://vigil.example/api/sign-in/Xk3v9QpL2mN8rT5wY1zA4bC7dE0fG6hJ9kL2mN5pQ8s';
const BASE = 'https://vigil.example';
const now = DateTime.fromISO('2026-11-23T07:00:00Z', { zone: 'utc' });
const item = (reason: NotificationItem['reason'] = 'new'): NotificationItem => {
  const event = tokenFailed();
  return { findingId: findingOf(event).id, reason, event };
};
/** Render options for one message whose token alert got `offer` as it was sent. */
const rendering = (offer: ReconnectOffer): RenderOptions => ({
  portalBase: 'https://portal.azure.com',
  timeZone: 'UTC',
  publicBaseUrl: BASE,
  reconnect: new Map([[item().findingId, offer]]),
});
const minted = rendering({ kind: 'link', url: LINK, expiresAt: '2026-11-30T07:00:00.000Z' });

describe('the reconnect link of a token alert, minted for the message', () => {
  it('is a link in the mail, in HTML and in the plain-text copy, and the fix says until when it works', () => {
    const mail = toMailDigest('ops', [item()], minted, now);
    expect(mail.html).toContain(`<a href="${LINK}"><b>Sign in again to reconnect cerb-helpdesk-mailbox</b></a>`);
    expect(mail.text).toContain(`Sign in again to reconnect cerb-helpdesk-mailbox: ${LINK}`);
    expect(mail.text).toContain('The sign-in link in this message works once, until 30 Nov 2026 07:00 UTC.');
  });

  it('is an Action.OpenUrl button on the item in Teams, which the Teams sink accepts', () => {
    const card = toTeamsCard('ops', [item()], minted, now);
    const text = JSON.stringify(card.envelope);
    expect(text).toContain(
      `{"type":"ActionSet","actions":[{"type":"Action.OpenUrl","title":"Sign in again to reconnect cerb-helpdesk-mailbox","url":"${LINK}"}]}`,
    );
    expect(checkTeamsMessage('application/json', Buffer.from(text))).toEqual({ kind: 'accepted' });
  });

  it('is a link in Slack', () => {
    expect(JSON.stringify(toSlackMessage('ops', [item()], minted, now).body)).toContain(LINK);
  });

  it('is left out once the item no longer needs action (a recovery)', () => {
    const resolved = toTeamsCard('ops', [item('recovered')], minted, now);
    expect(JSON.stringify(resolved.envelope)).not.toContain(LINK);
  });

  it('never reaches PagerDuty, even if one was minted', () => {
    expect(JSON.stringify(toPagerDutyEvent(item(), minted, now))).not.toContain('/sign-in/');
  });

  it("points at the status page's Reconnect button when no link could be made now, and says so", () => {
    const mail = toMailDigest('ops', [item()], rendering({ kind: 'unavailable', reason: 'HTTP 503 ServiceUnavailable' }), now);
    expect(mail.text).toMatch(/Reconnect cerb-helpdesk-mailbox on Vigil's status page: https:\/\/vigil\.example\/api\/dashboard/);
    expect(mail.text).toContain(
      "Vigil could not make a sign-in link for this message (HTTP 503 ServiceUnavailable): the Reconnect button on Vigil's status page makes one.",
    );
    expect(mail.text).not.toContain('/sign-in/');
  });

  it('offers no button and says why when no link is possible (the app lacks the redirect URI)', () => {
    const card = toTeamsCard('ops', [item()], rendering({ kind: 'none', reason: 'App x does not list Vigil’s redirect URI.' }), now);
    const text = JSON.stringify(card.envelope);
    expect(text).not.toContain('Action.OpenUrl","title":"Sign in again');
    expect(text).toContain('App x does not list Vigil’s redirect URI.');
  });
});
