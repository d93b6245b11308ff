import type { DateTime } from 'luxon';
import type { Severity } from '../events/vigilEvent.js';
import { describeItem, sortViews, type ItemView, type RenderOptions } from './describeItem.js';
import { labelOf } from './describePart.js';
import { digestLinks, partNotice, seeAllLink } from './digestLinks.js';
import { headline } from './headline.js';
import type { NotificationItem } from './NotificationItem.js';

/**
 * Teams through a Workflows webhook: a `message` envelope with one Adaptive Card 1.4 (newer versions
 * show as "couldn't be displayed"), no Action.Submit, and about 28 KB at most per message
 * (learn.microsoft.com/connectors/teams, limits). A digest that would not fit lists the most urgent items
 * and ends with "and N more" and a link, instead of failing.
 */
export const maxTeamsMessageBytes = 28 * 1024;
/** Kept free below the limit for the closing block, actions and any miscounting. */
const reserveBytes = 1024;

type Json = Record<string, unknown>;

export interface TeamsMessage {
  envelope: Json;
  shown: number;
  /** The findings of the items shown, in the order shown. */
  shownFindings: string[];
  omitted: number;
  bytes: number;
}

const containerStyles: Record<Severity, string> = {
  critical: 'attention',
  high: 'attention',
  medium: 'warning',
  low: 'accent',
  info: 'default',
};

export function toTeamsCard(
  route: string,
  items: readonly NotificationItem[],
  options: RenderOptions,
  now: DateTime,
  limitBytes = maxTeamsMessageBytes,
): TeamsMessage {
  const views = sortViews(items.map((i) => describeItem(i, options, now)));
  const header: Json[] = [
    { type: 'TextBlock', text: `Vigil: ${headline(views)}`, size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: `Route ${escapeMarkdown(route)}`, isSubtle: true, spacing: 'None', wrap: true },
    ...partBlocks(views, options),
  ];
  const actions = cardActions(views, options);
  const blocks = views.map(toBlock);
  const more = (omitted: number) => moreBlock(omitted, views, options);
  const budget = limitBytes - reserveBytes - bytesOf(envelopeOf([...header, more(views.length)], actions));
  let used = 0;
  let shown = 0;
  for (const block of blocks) {
    const size = bytesOf(block) + 1;
    if (used + size > budget) break;
    used += size;
    shown += 1;
  }
  const omitted = views.length - shown;
  const body = [...header, ...blocks.slice(0, shown), ...(omitted > 0 ? [more(omitted)] : [])];
  const envelope = envelopeOf(body, actions);
  return { envelope, shown, shownFindings: views.slice(0, shown).map((v) => v.findingId), omitted, bytes: bytesOf(envelope) };
}

/** Buttons for the whole card (each item carries its own links): see digestLinks. */
function cardActions(views: readonly ItemView[], options: RenderOptions): Json[] {
  return digestLinks(views, options).map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url }));
}

function envelopeOf(body: Json[], actions: Json[]): Json {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions,
        },
      },
    ],
  };
}

function toBlock(v: ItemView): Json {
  const label = labelOf(v);
  const facts = [
    { title: 'When', value: escapeMarkdown(v.when) },
    ...(v.reminder ? [{ title: 'Reminder', value: escapeMarkdown(v.reminder) }] : []),
    ...(v.impact ? [{ title: 'Impact', value: escapeMarkdown(v.impact) }] : []),
    ...(v.fix ? [{ title: 'Fix', value: escapeMarkdown(v.fix) }] : []),
    ...v.details.map((d) => ({ title: d.label, value: escapeMarkdown(d.text) })),
    { title: 'Finding', value: `${v.findingId} (${v.reason})` },
  ];
  return {
    type: 'Container',
    style: v.group === 'resolved' ? 'good' : v.group === 'action' ? containerStyles[v.severity] : 'default',
    separator: true,
    items: [
      { type: 'TextBlock', text: `**${label}** [${escapeMarkdown(v.name)}](${v.portalUrl}) — ${escapeMarkdown(v.what)}`, wrap: true },
      { type: 'TextBlock', text: escapeMarkdown(v.summary), wrap: true, spacing: 'Small' },
      { type: 'FactSet', facts },
      { type: 'TextBlock', text: v.links.map((l) => `[${escapeMarkdown(l.title)}](${l.url})`).join(' · '), wrap: true, spacing: 'Small' },
      ...(v.reconnect
        ? [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: v.reconnect.title, url: v.reconnect.url }] }]
        : []),
    ],
  };
}

/** The digest's part notice (partNotice), in the header where it cannot be cut off with the items. */
function partBlocks(views: readonly ItemView[], options: RenderOptions): Json[] {
  const part = partNotice(views, options);
  if (!part) return [];
  const link = part.link ? ` [${escapeMarkdown(part.link.title)}](${part.link.url})` : '';
  return [{ type: 'TextBlock', text: `${escapeMarkdown(part.text)}${link}`, wrap: true, weight: 'Bolder', color: 'Attention' }];
}

function moreBlock(omitted: number, views: readonly ItemView[], options: RenderOptions): Json {
  const link = seeAllLink(views, options);
  const where = link ? ` or ${link.lead}[${link.title}](${link.url})` : '';
  return {
    type: 'TextBlock',
    text: `…and ${omitted} more. See them all in the mail digest${where}.`,
    wrap: true,
    weight: 'Bolder',
  };
}

/**
 * Display names are free text: keep them from turning into links, emphasis or code in Teams' markdown.
 * Only the characters that start such markup are escaped (with a zero-width space before a list marker
 * at the start), so ordinary text with hyphens and parentheses shows no backslashes.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*[\]])/g, '\\$1').replace(/^(\s*)([-+#>]|\d+\.)(\s)/, '$1\u200b$2$3');
}

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
