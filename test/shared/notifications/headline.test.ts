import { describe, expect, it } from 'vitest';
import { describeItem } from '../../../shared/notifications/describeItem.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { headline } from '../../../shared/notifications/headline.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { expiring, NOW, rotated, tokenFailed } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', timeZone: 'UTC' };
const item = (event: ReturnType<typeof expiring>, reason: NotificationItem['reason'] = 'new'): NotificationItem => ({
  findingId: findingOf(event).id,
  reason,
  event,
});
const subjectOf = (items: NotificationItem[]) => headline(items.map((i) => describeItem(i, render, NOW)));
const app = (n: number, daysLeft: number, severity: 'critical' | 'high' | 'medium' = 'high') =>
  expiring({ app: `App ${n}`, appObjectId: `a-${n}`, keyId: `k-${n}`, daysLeft, severity });

describe('headline (the mail subject and the card title)', () => {
  it('counts a recovery sent as part of an update as one to check, not by its info severity', () => {
    expect(subjectOf([{ ...item(rotated(), 'recovered'), heldInPart: true }, item(app(2, 5))])).toMatch(
      /^2 need action \(1 high, 1 to check\) — /,
    );
  });

  it('counts what needs action by severity and names the most urgent item, with how many more', () => {
    const items = [item(app(1, 20, 'medium')), item(expiring({ daysLeft: 2, severity: 'critical' })), item(app(3, 10))];
    expect(subjectOf(items)).toBe('3 need action (1 critical, 1 high, 1 medium) — Creatio CRM client secret “prod” expires in 2 days, +2');
  });

  it('names a single item without "+0", and a failure by its summary', () => {
    expect(subjectOf([item(tokenFailed())])).toBe('1 needs action (1 critical) — The refresh token of cerb-helpdesk-mailbox was revoked');
  });

  it('does not count hygiene as needing action', () => {
    const hygiene = expiring({ app: 'Old app', appObjectId: 'a-old', daysLeft: -40, severity: 'medium', overlap: true });
    expect(subjectOf([item(hygiene), item(app(1, 5))])).toBe(
      '1 needs action (1 high) — App 1 client secret “prod” expires in 5 days · 1 to tidy up',
    );
    expect(subjectOf([item(hygiene)])).toBe('1 to tidy up — Old app client secret “prod” expired 40 days ago');
  });

  it('calls a digest of reminders only "still open", and puts recoveries and records after what needs action', () => {
    expect(subjectOf([item(app(1, -3, 'critical'), 'reminder'), item(app(2, 2), 'reminder')])).toBe(
      '2 still open (1 critical, 1 high) — App 1 client secret “prod” expired 3 days ago, +1',
    );
    expect(subjectOf([item(rotated(), 'recovered'), item(app(2, 2), 'reminder'), item(app(3, 5))])).toBe(
      '2 need action (2 high) — App 2 client secret “prod” expires in 2 days, +1 · 1 resolved',
    );
    expect(subjectOf([item(rotated(), 'recovered')])).toBe('1 resolved — The client secret of Creatio CRM was replaced');
  });
});
