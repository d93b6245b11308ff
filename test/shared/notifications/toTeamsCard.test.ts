import { describe, expect, it } from 'vitest';
import { checkTeamsMessage } from '../../../local/cloud/sinks/checkTeamsMessage.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { escapeMarkdown, maxTeamsMessageBytes, toTeamsCard } from '../../../shared/notifications/toTeamsCard.js';
import { expiring, NOW, rotated, TENANT } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', runbookUrl: 'https://wiki.contoso.com/rotate', timeZone: 'UTC' };
const item = (event: ReturnType<typeof expiring>, reason: NotificationItem['reason'] = 'new'): NotificationItem => ({
  findingId: findingOf(event).id,
  reason,
  event,
});
const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    item(
      expiring({
        app: `App ${i} with a long descriptive display name`,
        appObjectId: `a-${i}`,
        keyId: `k-${i}`,
        daysLeft: (i % 40) - 5,
        severity: i % 3 === 0 ? 'critical' : 'high',
      }),
    ),
  );

describe('toTeamsCard', () => {
  it('builds a message envelope with an Adaptive Card 1.4 the Teams sink accepts', () => {
    const card = toTeamsCard('ops', [item(expiring())], render, NOW);
    const body = Buffer.from(JSON.stringify(card.envelope));
    expect(checkTeamsMessage('application/json', body)).toEqual({ kind: 'accepted' });
    const content = (
      card.envelope['attachments'] as Array<{ content: { version: string; actions: Array<{ type: string; url: string }> } }>
    )[0]!.content;
    expect(content.version).toBe('1.4');
    expect(content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in the Azure portal', url: expect.stringContaining('portal.azure.com') },
      { type: 'Action.OpenUrl', title: 'Rotation runbook', url: 'https://wiki.contoso.com/rotate' },
    ]);
    expect(card).toMatchObject({ shown: 1, omitted: 0 });
  });

  it('gives each item its own links, and a several-item card a button for the whole tenant, not the first app', () => {
    const card = toTeamsCard('ops', [item(expiring()), item(expiring({ app: 'UiPath', appObjectId: 'a-2', keyId: 'k-2' }))], render, NOW);
    const content = (card.envelope['attachments'] as Array<{ content: { body: unknown[]; actions: unknown[] } }>)[0]!.content;
    expect(content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'App registrations in the Azure portal',
        url: `https://portal.azure.com/#@${TENANT}/view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps`,
      },
      { type: 'Action.OpenUrl', title: 'Rotation runbook', url: 'https://wiki.contoso.com/rotate' },
    ]);
    const text = JSON.stringify(content.body);
    expect(text.match(/\[Open in the Azure portal\]/g)).toHaveLength(2);
  });

  it('links each item to its finding on the status page, and the card and its "and N more" to the page', () => {
    const withStatus = { ...render, publicBaseUrl: 'https://vigil.contoso.com' };
    const card = toTeamsCard('ops', many(500), withStatus, NOW);
    expect(checkTeamsMessage('application/json', Buffer.from(JSON.stringify(card.envelope)))).toEqual({ kind: 'accepted' });
    const content = (card.envelope['attachments'] as Array<{ content: { body: unknown[]; actions: unknown[] } }>)[0]!.content;
    const page = `https://vigil.contoso.com/api/dashboard?tenant=${TENANT}`;
    expect(content.actions).toContainEqual({ type: 'Action.OpenUrl', title: 'Vigil status page', url: page });
    const text = JSON.stringify(content.body);
    expect(text).toContain(`[Vigil status page](${page}#f-`);
    expect(text).toContain(`on [Vigil's status page](${page})`);
  });

  it('keeps a digest of 500 findings under 28 KB, most urgent first, ending in "and N more"', () => {
    const card = toTeamsCard('ops', many(500), render, NOW);
    const body = Buffer.from(JSON.stringify(card.envelope));
    expect(body.byteLength).toBe(card.bytes);
    expect(body.byteLength).toBeLessThanOrEqual(maxTeamsMessageBytes);
    expect(checkTeamsMessage('application/json', body)).toEqual({ kind: 'accepted' });
    expect(card.shown).toBeGreaterThan(10);
    expect(card.shown + card.omitted).toBe(500);
    const text = JSON.stringify(card.envelope);
    expect(text).toContain(`…and ${card.omitted} more.`);
    expect(text).toContain(
      '500 need action (167 critical, 333 high) — App 0 with a long descriptive display name client secret “prod” expired 5 days ago, +499',
    );
    // Most urgent first: the critical ones that expired longest ago; no room left for a high one.
    const firstItem = text.indexOf('"type":"Container"');
    expect(text.indexOf('**CRITICAL**', firstItem)).toBeLessThan(text.indexOf('expired 5 days ago', firstItem));
    expect(text).not.toContain('**HIGH**');
  });

  it('shows every item when they fit', () => {
    expect(toTeamsCard('ops', many(5), render, NOW)).toMatchObject({ shown: 5, omitted: 0 });
  });

  it('keeps display names from becoming markdown links', () => {
    expect(escapeMarkdown('[Click](https://evil.example) *now*')).toBe('\\[Click\\](https://evil.example) \\*now\\*');
    expect(escapeMarkdown('courier-2024 (expired 2026-11-11)')).toBe('courier-2024 (expired 2026-11-11)');
    expect(escapeMarkdown('- not a list')).toBe('\u200b- not a list');
  });

  it('says in the header and on the item that a part of an update may not be the latest state, and never that it is resolved', () => {
    const recovered = { ...item(rotated({ app: 'UiPath', appObjectId: 'a-2' }), 'recovered'), heldInPart: true as const };
    const card = toTeamsCard('ops', [{ ...item(expiring()), heldInPart: true }, recovered], render, NOW);
    expect(checkTeamsMessage('application/json', Buffer.from(JSON.stringify(card.envelope)))).toEqual({ kind: 'accepted' });
    const body = (card.envelope['attachments'] as Array<{ content: { body: Array<Record<string, unknown>> } }>)[0]!.content.body;
    expect(body[2]).toMatchObject({
      type: 'TextBlock',
      text: expect.stringMatching(/^Part of an update Vigil could not store whole: .* may not show the latest state/),
    });
    const text = JSON.stringify(body);
    expect(text.match(/"title":"Part of an update"/g)).toHaveLength(2);
    expect(text).not.toContain('RESOLVED');
    expect(text).toContain('State uncertain');
    // Listed with what needs action, labelled as a state to check, not as the recovery's info severity.
    expect(text).toContain('**CHECK** [UiPath]');
    expect(text).not.toContain('**INFO**');
  });
});
