import type { DateTime } from 'luxon';
import { describeItem, severityColours, severityOrder, sortViews, type ItemView, type RenderOptions } from './describeItem.js';
import { headline } from './headline.js';
import { isUncertain } from './describePart.js';
import { partNotice } from './digestLinks.js';
import { statusPageLink } from '../dashboard/statusPageLink.js';
import type { NotificationItem } from './NotificationItem.js';
import { escapeHtml } from '../helpers/escapeHtml.js';

export interface MailDigest {
  subject: string;
  html: string;
  text: string;
}

const recoveredColour = '#107c10';
const hygieneColour = '#8a8886';

/**
 * One digest for one route and window: what needs action grouped and colour-coded by severity, most urgent
 * first, then hygiene, recoveries and records; each item with its state as of `now` (days left), the app or
 * connection, why a reminder is sent, the impact, the fix and portal and runbook links. Every value from an
 * event is HTML-escaped (display names are chosen by whoever registered the app). Colours are inline
 * styles: Outlook ignores most of a `<style>` block.
 */
export function toMailDigest(route: string, items: readonly NotificationItem[], options: RenderOptions, now: DateTime): MailDigest {
  const views = sortViews(items.map((i) => describeItem(i, options, now)));
  const title = headline(views);
  const status = options.publicBaseUrl ? statusPageLink(options.publicBaseUrl) : undefined;
  const part = partNotice(views, options);
  return { subject: `[Vigil] ${title}`, html: toHtml(route, title, views, status, part), text: toText(route, title, views, status, part) };
}

type PartNotice = ReturnType<typeof partNotice>;

const groupsOf = (views: readonly ItemView[]): Array<{ label: string; colour: string; views: ItemView[] }> =>
  [
    // First: a recovery sent as part of an update may hide a new problem of any severity (describePart).
    { label: 'To check', colour: severityColours.high, views: views.filter((v) => isUncertain(v)) },
    ...severityOrder.map((s) => ({
      label: s.charAt(0).toUpperCase() + s.slice(1),
      colour: severityColours[s],
      views: views.filter((v) => v.needsAction && !isUncertain(v) && v.severity === s),
    })),
    { label: 'To tidy up', colour: hygieneColour, views: views.filter((v) => v.group === 'hygiene') },
    { label: 'Resolved', colour: recoveredColour, views: views.filter((v) => v.group === 'resolved') },
    { label: 'For information', colour: severityColours.info, views: views.filter((v) => v.group === 'info') },
  ].filter((g) => g.views.length > 0);

function toHtml(route: string, title: string, views: readonly ItemView[], status: string | undefined, part: PartNotice): string {
  const groups = groupsOf(views).map(
    (g) =>
      `<h3 style="color:${g.colour};border-bottom:2px solid ${g.colour};margin:24px 0 8px">${escapeHtml(g.label)} (${g.views.length})</h3>\n` +
      `<table role="presentation" width="100%" cellpadding="8" cellspacing="0" style="border-collapse:collapse">\n${g.views.map((v) => itemRow(v, g.colour)).join('\n')}\n</table>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family:\'Segoe UI\',Arial,sans-serif;font-size:14px;color:#201f1e;max-width:760px">',
    `<h2 style="margin:0 0 4px">Vigil: ${escapeHtml(title)}</h2>`,
    `<p style="color:#605e5c;margin:0">Route <b>${escapeHtml(route)}</b>. A plain-text copy is attached as digest.txt.${status ? ` Everything Vigil knows: <a href="${escapeHtml(status)}">Vigil status page</a>.` : ''}</p>`,
    ...(part
      ? [
          `<p style="border-left:4px solid ${severityColours.high};padding:8px 12px;margin:12px 0"><b>${escapeHtml(part.text)}</b>${part.link ? ` <a href="${escapeHtml(part.link.url)}">${escapeHtml(part.link.title)}</a>` : ''}</p>`,
        ]
      : []),
    ...groups,
    '<p style="color:#605e5c;font-size:12px;margin-top:24px">To silence a known item for a while, snooze its finding: POST /api/findings/{finding}/snooze with a reason and an end date.</p>',
    '</body></html>',
  ].join('\n');
}

function itemRow(v: ItemView, colour: string): string {
  const links = [
    v.reconnect ? `<a href="${escapeHtml(v.reconnect.url)}"><b>${escapeHtml(v.reconnect.title)}</b></a>` : undefined,
    ...v.links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.title)}</a>`),
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `<b>${escapeHtml(v.name)}</b> — ${escapeHtml(v.what)} · <b>${escapeHtml(v.when)}</b>`,
    v.reminder ? `<i>${escapeHtml(v.reminder)}</i>` : undefined,
    escapeHtml(v.summary),
    v.impact ? `<b>Impact:</b> ${escapeHtml(v.impact)}` : undefined,
    v.fix ? `<b>Fix:</b> ${escapeHtml(v.fix)}` : undefined,
    ...v.details.map((d) => `<b>${escapeHtml(d.label)}:</b> ${escapeHtml(d.text)}`),
    links,
    `<span style="color:#605e5c;font-size:12px">${escapeHtml(v.reason)} · finding ${escapeHtml(v.findingId)} · tenant ${escapeHtml(v.tenantId)}</span>`,
  ].filter(Boolean);
  return `<tr><td style="border-left:4px solid ${colour};padding:8px 12px;border-bottom:1px solid #edebe9">${lines.join('<br>\n')}</td></tr>`;
}

function toText(route: string, title: string, views: readonly ItemView[], status: string | undefined, part: PartNotice): string {
  const lines = [`Vigil: ${title}`, `Route ${route}`, ...(status ? [`Status page: ${status}`] : []), ''];
  if (part) lines.push(`!! ${part.text}${part.link ? ` ${part.link.url}` : ''}`, '');
  for (const g of groupsOf(views)) {
    lines.push(`== ${g.label.toUpperCase()} (${g.views.length}) ==`, '');
    for (const v of g.views) {
      lines.push(`* ${v.name} — ${v.what} — ${v.when}`);
      if (v.reminder) lines.push(`  ${v.reminder}`);
      lines.push(`  ${v.summary}`);
      if (v.impact) lines.push(`  Impact: ${v.impact}`);
      if (v.fix) lines.push(`  Fix: ${v.fix}`);
      for (const d of v.details) lines.push(`  ${d.label}: ${d.text}`);
      if (v.reconnect) lines.push(`  ${v.reconnect.title}: ${v.reconnect.url}`);
      for (const link of v.links) lines.push(`  ${link.title}: ${link.url}`);
      lines.push(`  (${v.reason}; finding ${v.findingId}; tenant ${v.tenantId})`, '');
    }
  }
  return lines.join('\n');
}
