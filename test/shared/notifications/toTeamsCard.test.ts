import { describe, expect, it } from 'vitest';
import { checkTeamsMessage } from '../../../local/cloud/sinks/checkTeamsMessage.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';
import { escapeMarkdown, maxTeamsMessageBytes, toTeamsCard } from '../../../shared/notifications/toTeamsCard.js';
import { expiring, NOW } from './notificationFixtures.js';

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
});
