import { describe, expect, it } from 'vitest';
import { checkSlackMessage } from '../../../local/cloud/sinks/checkSlackMessage.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { escapeSlack, slackLimits, toSlackMessage } from '../../../shared/notifications/toSlackMessage.js';
import { expiring, NOW, TENANT, itemOf, rotated } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', runbookUrl: 'https://wiki.contoso.com/rotate', timeZone: 'UTC' };
const withStatus = { ...render, publicBaseUrl: 'https://vigil.contoso.com' };
const item = itemOf;
const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    item(
      expiring({ app: `App ${i}`, appObjectId: `a-${i}`, keyId: `k-${i}`, daysLeft: (i % 40) - 5, severity: i % 3 ? 'high' : 'critical' }),
    ),
  );
type Block = { type: string; text?: { text: string }; elements?: Array<{ text: { text: string } | string; url?: string }> };
const blocksOf = (m: ReturnType<typeof toSlackMessage>) => m.body.blocks as Block[];
const texts = (m: ReturnType<typeof toSlackMessage>) => blocksOf(m).map((b) => b.text?.text ?? '');

describe('toSlackMessage', () => {
  it('writes the headline as header and text, one section per item, and buttons to the portal, runbook and status page', () => {
    const event = expiring();
    const message = toSlackMessage('ops', [item(event)], withStatus, NOW);
    expect(checkSlackMessage(JSON.stringify(message.body))).toEqual({ kind: 'accepted' });
    expect(message.body.text).toBe('Vigil: 1 needs action (1 high) — Creatio CRM client secret “prod” expires in 10 days');
    expect(blocksOf(message).map((b) => b.type)).toEqual(['header', 'context', 'section', 'actions']);
    const section = texts(message)[2]!;
    expect(section).toContain('*HIGH* <https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps');
    expect(section).toContain(`*Finding:* \`${findingOf(event).id}\` (new)`);
    expect(section).toContain(`<https://vigil.contoso.com/api/dashboard?tenant=${TENANT}#${findingOf(event).id}|Vigil status page>`);
    expect(
      blocksOf(message)
        .at(-1)!
        .elements!.map((e) => e.url),
    ).toEqual([
      expect.stringContaining('portal.azure.com'),
      'https://wiki.contoso.com/rotate',
      `https://vigil.contoso.com/api/dashboard?tenant=${TENANT}`,
    ]);
    expect(message).toMatchObject({ shown: 1, omitted: 0 });
  });

  it('keeps a digest of 500 findings within Slack limits, most urgent first, ending in "and N more" with a link', () => {
    const message = toSlackMessage('ops', many(500), withStatus, NOW);
    expect(checkSlackMessage(JSON.stringify(message.body))).toEqual({ kind: 'accepted' });
    expect(message.body.blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
    expect(message.shown + message.omitted).toBe(500);
    expect(message.omitted).toBeGreaterThan(0);
    expect(texts(message)[2]).toMatch(/^\*CRITICAL\* .*App \d+.*expired/s);
    expect(texts(message).at(-1)).toBe('');
    expect(texts(message).at(-2)).toBe(
      `*…and ${message.omitted} more.* See them all in the mail digest or on <https://vigil.contoso.com/api/dashboard?tenant=${TENANT}|Vigil's status page>.`,
    );
    expect(blocksOf(message)[0]!.text!.text.length).toBeLessThanOrEqual(slackLimits.headerText);
  });

  it('never shows more than 50 blocks, however short the items', () => {
    const message = toSlackMessage('ops', many(60), render, NOW);
    expect(message.body.blocks.length).toBeLessThanOrEqual(50);
    expect(checkSlackMessage(JSON.stringify(message.body))).toEqual({ kind: 'accepted' });
    expect(message.omitted).toBeGreaterThan(0);
  });

  it('shortens an item over 3,000 characters and says so, instead of being refused', () => {
    const event = { ...expiring(), impact: 'x'.repeat(5000), summary: 'y'.repeat(2000) };
    const message = toSlackMessage('ops', [item(event)], render, NOW);
    expect(checkSlackMessage(JSON.stringify(message.body))).toEqual({ kind: 'accepted' });
    const section = texts(message)[2]!;
    expect(section.length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(section).toContain('_Shortened for Slack: the mail digest and the status page have it all._');
    expect(section).toContain(`*Finding:* \`${findingOf(event).id}\``);
  });

  it('keeps a display name from becoming a link or a mention', () => {
    expect(escapeSlack('<!channel> & <https://evil.example|click>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    const message = toSlackMessage('ops', [item(expiring({ app: '<!here> App' }))], render, NOW);
    expect(message.body.text).toContain('&lt;!here&gt; App');
    expect(texts(message)[2]).not.toContain('<!here>');
  });

  it('says in the header and on the item that a part of an update may not be the latest state', () => {
    const message = toSlackMessage('ops', [{ ...item(expiring()), heldInPart: true }], withStatus, NOW);
    expect(checkSlackMessage(JSON.stringify(message.body))).toEqual({ kind: 'accepted' });
    expect(texts(message)[2]).toMatch(
      /^\*Part of an update Vigil could not store whole: .*\* <https:\/\/vigil\.contoso\.com\/api\/dashboard/,
    );
    expect(texts(message)[3]).toContain('*Part of an update:* Vigil could not store this update whole');
  });

  it('labels a recovery sent as part of an update as a state to check, never as resolved', () => {
    const message = toSlackMessage('ops', [{ ...item(rotated(), 'recovered'), heldInPart: true }], withStatus, NOW);
    const text = texts(message).join('\n');
    expect(text).toContain('*CHECK* <');
    expect(text).not.toContain('RESOLVED');
    expect(text).not.toContain('*INFO*');
  });
});
