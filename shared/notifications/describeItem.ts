import { DateTime } from 'luxon';
import { severities, type Severity } from '../events/vigilEvent.js';
import { describeIntelligence, type ItemDetail } from './describeIntelligence.js';
import { findingOf } from './findingOf.js';
import { isHygiene } from './isHygiene.js';
import type { NotificationItem } from './NotificationItem.js';
import { credentialTypeWords } from '../scanner/credentialTypeWords.js';

/** What every renderer needs to show beside the events: where the portal is, the runbook, the reader's time zone. */
export interface RenderOptions {
  /** The home cloud's portal, e.g. `https://portal.azure.com`; used when an event carries no portal link. */
  portalBase: string;
  runbookUrl?: string;
  /** IANA zone dates are shown in; `UTC` unless configured. */
  timeZone: string;
}

/** Plain display fields of one item; renderers escape them for their format. */
export interface ItemView {
  severity: Severity;
  needsAction: boolean;
  reason: NotificationItem['reason'];
  name: string;
  what: string;
  when: string;
  summary: string;
  impact: string;
  fix: string;
  /** Usage, advice, blast radius, hygiene and links, one labelled line each. */
  details: ItemDetail[];
  portalUrl: string;
  runbookUrl: string | undefined;
  findingId: string;
  tenantId: string;
  daysLeft: number | undefined;
}

export const severityOrder: readonly Severity[] = [...severities].reverse();

/** Colours per severity: Fluent UI's error, severe warning, warning, info and neutral tones. */
export const severityColours: Record<Severity, string> = {
  critical: '#a4262c',
  high: '#d83b01',
  medium: '#c19c00',
  low: '#0078d4',
  info: '#605e5c',
};

export function describeItem(item: NotificationItem, options: RenderOptions): ItemView {
  const { event } = item;
  // Hygiene opens a finding (to tidy up) but asks nothing urgent of anyone.
  const needsAction = item.reason !== 'recovered' && findingOf(event).role === 'opens' && !isHygiene(event);
  return {
    severity: item.reason === 'recovered' ? 'info' : event.severity,
    needsAction,
    reason: item.reason,
    name: event.subject.displayName,
    what: whatOf(item),
    when: whenOf(item, options.timeZone),
    summary: event.summary,
    impact: event.impact,
    fix: event.fix,
    details: describeIntelligence(event, Date.parse(event.time)),
    portalUrl: event.links.portal ?? `${options.portalBase}/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps`,
    runbookUrl: event.links.runbook ?? options.runbookUrl,
    findingId: item.findingId,
    tenantId: event.tenantId,
    daysLeft: 'daysLeft' in event.data ? event.data.daysLeft : undefined,
  };
}

function whatOf({ event }: NotificationItem): string {
  if ('credentialType' in event.data)
    return `${credentialTypeWords[event.data.credentialType]}${event.data.displayName ? ` “${event.data.displayName}”` : ''}`;
  if ('connection' in event.data) return `token connection ${event.data.connection}`;
  return event.type;
}

/** Days left for a credential ("expires in 10 days, 3 Dec 2026"), else the time the situation was seen. */
function whenOf({ event }: NotificationItem, zone: string): string {
  if (event.type === 'credential.rotated') return `rotated ${formatDate(event.time, zone)}`;
  if ('daysLeft' in event.data) {
    const d = event.data.daysLeft;
    const date = formatDate(event.data.endDateTime, zone);
    if (d > 1) return `expires in ${d} days (${date})`;
    if (d === 1) return `expires tomorrow (${date})`;
    if (d === 0) return `expires today (${date})`;
    return `expired ${-d} day${d === -1 ? '' : 's'} ago (${date})`;
  }
  return `seen ${formatDate(event.time, zone)}`;
}

export function formatDate(iso: string, zone: string): string {
  // The zone's name rather than an abbreviation: Node's ICU data may only know "GMT+1".
  return `${DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('d LLL yyyy HH:mm')} ${zone}`;
}

/** Counts for the subject and header: what needs action by severity, what recovered, what is a record. */
export function countViews(views: readonly ItemView[]): {
  action: number;
  bySeverity: Array<[Severity, number]>;
  recovered: number;
  info: number;
} {
  const action = views.filter((v) => v.needsAction);
  return {
    action: action.length,
    bySeverity: severityOrder.map((s) => [s, action.filter((v) => v.severity === s).length] as [Severity, number]).filter(([, n]) => n > 0),
    recovered: views.filter((v) => v.reason === 'recovered').length,
    info: views.filter((v) => !v.needsAction && v.reason !== 'recovered').length,
  };
}

/** Most urgent first: needs action before the rest, then severity, then the fewest days left. */
export function sortViews(views: readonly ItemView[]): ItemView[] {
  const daysLeft = (v: ItemView): number => v.daysLeft ?? Number.MAX_SAFE_INTEGER;
  return [...views].sort(
    (a, b) =>
      Number(b.needsAction) - Number(a.needsAction) ||
      severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) ||
      daysLeft(a) - daysLeft(b) ||
      a.name.localeCompare(b.name),
  );
}

/** "3 need action: 1 critical, 2 high · 1 resolved". */
export function headline(views: readonly ItemView[]): string {
  const c = countViews(views);
  const parts: string[] = [];
  if (c.action > 0)
    parts.push(`${c.action} need${c.action === 1 ? 's' : ''} action: ${c.bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}`);
  if (c.recovered > 0) parts.push(`${c.recovered} resolved`);
  if (c.info > 0) parts.push(`${c.info} for information`);
  return parts.join(' · ') || 'nothing to report';
}
