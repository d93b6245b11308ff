import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkTeamsMessage } from '../../../local/cloud/sinks/checkTeamsMessage.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { toMailDigest } from '../../../shared/notifications/toMailDigest.js';
import { toTeamsCard } from '../../../shared/notifications/toTeamsCard.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { tokenFailed } from './notificationFixtures.js';

const LINK = 'https://vigil.example/api/sign-in/Xk3v9QpL2mN8rT5wY1zA4bC7dE0fG6hJ9kL2mN5pQ8s';
const render = { portalBase: 'https://portal.azure.com', timeZone: 'UTC' };
const now = DateTime.fromISO('2026-11-23T07:00:00Z', { zone: 'utc' });
const withLink = (event: VigilEvent): VigilEvent => ({ ...event, links: { ...event.links, reconnect: LINK } });
const item = (event: VigilEvent, reason: NotificationItem['reason'] = 'new'): NotificationItem => ({
  findingId: findingOf(event).id,
  reason,
  event,
});

describe('the reconnect link of a token alert in mail and Teams', () => {
  it('is a link in the mail, in HTML and in the plain-text copy', () => {
    const mail = toMailDigest('ops', [item(withLink(tokenFailed()))], render, now);
    expect(mail.html).toContain(`<a href="${LINK}"><b>Sign in again to reconnect</b></a>`);
    expect(mail.text).toContain(`Sign in again to reconnect: ${LINK}`);
  });

  it('is an Action.OpenUrl button on the item in Teams, which the Teams sink accepts', () => {
    const card = toTeamsCard('ops', [item(withLink(tokenFailed()))], render, now);
    const text = JSON.stringify(card.envelope);
    expect(text).toContain(
      `{"type":"ActionSet","actions":[{"type":"Action.OpenUrl","title":"Sign in again to reconnect cerb-helpdesk-mailbox","url":"${LINK}"}]}`,
    );
    expect(checkTeamsMessage('application/json', Buffer.from(text))).toEqual({ kind: 'accepted' });
  });

  it('is left out once the item no longer needs action (a reminder of a resolved finding, a recovery)', () => {
    const resolved = toTeamsCard('ops', [item(withLink(tokenFailed()), 'recovered')], render, now);
    expect(JSON.stringify(resolved.envelope)).not.toContain(LINK);
  });
});
