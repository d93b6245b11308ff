import type { DateTime } from 'luxon';
import { clip } from '../helpers/clip.js';
import { describeItem, sortViews, type ItemLink, type ItemView, type RenderOptions } from './describeItem.js';
import { labelOf } from './describePart.js';
import { digestLinks, partNotice, seeAllLink } from './digestLinks.js';
import { headline } from './headline.js';
import type { NotificationItem } from './NotificationItem.js';

/**
 * Slack's Block Kit limits for a message (docs.slack.dev/reference/block-kit/blocks): at most 50 blocks,
 * a section's text at most 3,000 characters, a header's 150, a button's 75 and its URL 3,000, at most
 * 25 elements in an actions block. Slack also refuses a message whose blocks hold more than about 13,000
 * characters in all (`msg_blocks_too_long`, slackapi/bolt-js#2509), so the items share a budget below it.
 */
export const slackLimits = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  url: 3000,
  actions: 25,
  blocksText: 12_000,
} as const;

type Json = Record<string, unknown>;

export interface SlackMessage {
  body: { text: string; blocks: Json[] };
  shown: number;
  /** The findings of the items shown, in the order shown. */
  shownFindings: string[];
  omitted: number;
}

/**
 * A digest as one Slack message: the headline as header (plain text, shown as written) and as `text`
 * (mrkdwn, which Slack shows in notifications), the most urgent items first, one section each, and when the next would break a limit,
 * "…and N more" with a link to where all are listed, never an item cut off without saying so.
 */
export function toSlackMessage(route: string, items: readonly NotificationItem[], options: RenderOptions, now: DateTime): SlackMessage {
  const views = sortViews(items.map((i) => describeItem(i, options, now)));
  const title = `Vigil: ${headline(views)}`;
  const header: Json[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, slackLimits.headerText), emoji: false } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Route ${escapeSlack(route)}` }] },
    ...partSections(views, options),
  ];
  const links = digestLinks(views, options);
  const closing = (omitted: number): Json[] => [
    ...(omitted > 0 ? [section(moreText(omitted, views, options))] : []),
    ...(links.length > 0 ? [{ type: 'actions', elements: links.slice(0, slackLimits.actions).map(button) }] : []),
  ];
  const blockRoom = slackLimits.blocks - header.length - closing(1).length;
  let textRoom = slackLimits.blocksText - textOf([...header, ...closing(views.length)]);
  const sections: Json[] = [];
  for (const view of views) {
    const block = section(itemText(view));
    const size = textOf([block]);
    if (sections.length >= blockRoom || size > textRoom) break;
    sections.push(block);
    textRoom -= size;
  }
  const omitted = views.length - sections.length;
  return {
    body: { text: escapeSlack(title), blocks: [...header, ...sections, ...closing(omitted)] },
    shown: sections.length,
    shownFindings: views.slice(0, sections.length).map((v) => v.findingId),
    omitted,
  };
}

/** A shortened line keeps at least this much, or goes. */
const minLine = 40;

/** One item in Slack's mrkdwn, within a section's 3,000 characters: long free text is shortened and says so. */
function itemText(v: ItemView): string {
  const label = labelOf(v);
  const fixed = [
    `*${label}* ${link({ title: v.name, url: v.portalUrl })} — ${escapeSlack(v.what)}`,
    `*When:* ${escapeSlack(v.when)}`,
    `*Finding:* \`${v.findingId}\` (${v.reason})`,
    v.links.map(link).join(' · '),
    ...(v.reconnect ? [link(v.reconnect)] : []),
  ];
  const free = [
    escapeSlack(v.summary),
    ...(v.reminder ? [`*Reminder:* ${escapeSlack(v.reminder)}`] : []),
    ...(v.impact ? [`*Impact:* ${escapeSlack(v.impact)}`] : []),
    ...(v.fix ? [`*Fix:* ${escapeSlack(v.fix)}`] : []),
    ...v.details.map((d) => `*${escapeSlack(d.label)}:* ${escapeSlack(d.text)}`),
  ];
  const note = '_Shortened for Slack: the mail digest and the status page have it all._';
  const join = (lines: string[]) => [fixed[0]!, ...lines, ...fixed.slice(1)].join('\n');
  if (join(free).length <= slackLimits.sectionText) return join(free);
  const lines = [...free, note];
  // The longest free line is shortened first; one that cannot shrink further goes (the note stays last).
  while (join(lines).length > slackLimits.sectionText && lines.length > 1) {
    const over = join(lines).length - slackLimits.sectionText;
    const longest = lines.slice(0, -1).reduce((at, line, i) => (line.length > lines[at]!.length ? i : at), 0);
    const line = lines[longest]!;
    if (line.length > minLine) lines[longest] = clip(line, Math.max(minLine, line.length - over));
    else lines.splice(longest, 1);
  }
  return join(lines);
}

/** The digest's part notice (partNotice), in the header where it cannot be cut off with the items. */
function partSections(views: readonly ItemView[], options: RenderOptions): Json[] {
  const part = partNotice(views, options);
  return part ? [section(`*${escapeSlack(part.text)}*${part.link ? ` ${link(part.link)}` : ''}`)] : [];
}

function moreText(omitted: number, views: readonly ItemView[], options: RenderOptions): string {
  const all = seeAllLink(views, options);
  return `*…and ${omitted} more.* See them all in the mail digest${all ? ` or ${all.lead}${link(all)}` : ''}.`;
}

const section = (text: string): Json => ({ type: 'section', text: { type: 'mrkdwn', text } });

const button = (l: ItemLink): Json => ({
  type: 'button',
  text: { type: 'plain_text', text: clip(l.title, slackLimits.buttonText), emoji: false },
  url: l.url,
});

/** Slack's link syntax; the text may not hold `|` or `>`, which would end it early. */
const link = (l: ItemLink): string => `<${l.url}|${escapeSlack(l.title).replace(/\|/g, '¦')}>`;

/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters (docs.slack.dev/messaging/formatting-message-text):
 * escaped, a display name cannot become a link or a mention.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The characters of text a list of blocks holds, as Slack counts them towards `msg_blocks_too_long` (roughly). */
function textOf(blocks: readonly Json[]): number {
  return JSON.stringify(blocks).length;
}
