import { DateTime } from 'luxon';
import { severities, type Severity, type VigilEvent } from '../events/vigilEvent.js';
import { describeIntelligence, type ItemDetail } from './describeIntelligence.js';
import { groupOf, heldInPartDetail, isUncertain, uncertainWords, type ItemGroup } from './describePart.js';
import { credentialTypeWords } from '../scanner/credentialTypeWords.js';
import { appRegistrationsLink } from '../scanner/portalLinks.js';
import { statusPageLink } from '../dashboard/statusPageLink.js';
import { daysLeftUntil } from '../scanner/evaluateCredential.js';
import { formatDate, reminderText, untilPhrase } from './describeWhen.js';
import { eventAsOf, hasWordsAsOf } from './eventAsOf.js';
import { eventTypeWords } from './eventTypeWords.js';
import type { NotificationItem } from './NotificationItem.js';
import type { ReconnectOffer } from './ReconnectPorts.js';

export { formatDate } from './describeWhen.js';

/** What every renderer needs to show beside the events: where the portal is, the runbook, the reader's time zone. */
export interface RenderOptions {
  /** The home cloud's portal, e.g. `https://portal.azure.com`; used when an event carries no portal link. */
  portalBase: string;
  runbookUrl?: string;
  /** VIGIL_PUBLIC_BASE_URL: every item then links to its finding on Vigil's status page. */
  publicBaseUrl?: string;
  /** IANA zone dates are shown in; `UTC` unless configured. */
  timeZone: string;
  /** Reconnect offers by finding id, minted for this one message as it is sent (withReconnectOffers). */
  reconnect?: ReadonlyMap<string, ReconnectOffer>;
}

/** A link shown with an item: a title a person reads and where it goes. */
export interface ItemLink {
  title: string;
  url: string;
}

export const runbookTitle = 'Rotation runbook';
export const statusPageTitle = 'Vigil status page';

/** Microsoft's guides for what a missing permission or role asks of an administrator. */
export const permissionGuides = {
  graph: { title: 'How to grant the permission', url: 'https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent' },
  keyVault: { title: 'How to grant the Key Vault role', url: 'https://learn.microsoft.com/azure/key-vault/general/rbac-guide' },
} as const satisfies Record<string, ItemLink>;

/** Plain display fields of one item; renderers escape them for their format. */
export interface ItemView {
  severity: Severity;
  group: ItemGroup;
  needsAction: boolean;
  reason: NotificationItem['reason'];
  name: string;
  what: string;
  /** The state as of rendering: "expires in 2 days (3 Dec 2026 07:00 UTC)". */
  when: string;
  /** One line for a subject: "Creatio CRM client secret “prod” expires in 2 days". */
  headline: string;
  summary: string;
  impact: string;
  fix: string;
  /** Usage, advice, blast radius, hygiene and links, one labelled line each. */
  details: ItemDetail[];
  portalUrl: string;
  /** Where to act, most useful first: the portal page, then what helps with this kind of item (the runbook, a permission guide). */
  links: ItemLink[];
  /** The finding on Vigil's status page, when VIGIL_PUBLIC_BASE_URL is set. */
  statusUrl: string | undefined;
  /**
   * Where to reconnect a token connection while it still needs action: its fresh single-use sign-in link,
   * or the status page (whose Reconnect button makes one) when no link could be minted just now.
   */
  reconnect: ItemLink | undefined;
  findingId: string;
  tenantId: string;
  /** Days left as of rendering, for credentials. */
  daysLeft: number | undefined;
  /** Why a reminder is sent (the policy clause), for reminders. */
  reminder: string | undefined;
  /** Sent as part of a decision Vigil could not store whole (NotificationItem.heldInPart): maybe not the latest state. */
  heldInPart: boolean;
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

/**
 * One item as a person reads it at `now` (the time of sending, or of the decision if that is later):
 * days left and "expired" come from the end date, not from the event's count when it was first seen.
 */
export function describeItem(item: NotificationItem, options: RenderOptions, now: DateTime): ItemView {
  const at = item.at ? DateTime.max(now, DateTime.fromISO(item.at, { zone: 'utc' })) : now;
  // A reminder says how things stand when it is read, not in the words of the first report.
  const event = item.reminder ? eventAsOf(item.event, at) : item.event;
  const uncertain = isUncertain(item);
  const group = groupOf(item, event);
  // A rotated or removed credential is no longer counting down: "expired 3 days ago" would misstate it.
  const end =
    'endDateTime' in event.data && event.type !== 'credential.rotated' && event.type !== 'credential.removed'
      ? event.data.endDateTime
      : undefined;
  const what = whatOf(item);
  const status = end ? untilPhrase(end, at) : undefined;
  const portalUrl = event.links.portal ?? appRegistrationsLink(options.portalBase, event.tenantId);
  const statusUrl = options.publicBaseUrl
    ? statusPageLink(options.publicBaseUrl, { tenantId: event.tenantId, findingId: item.findingId })
    : undefined;
  const reconnect = group === 'action' ? reconnectOf(options.reconnect?.get(item.findingId), item, statusUrl, options.timeZone) : undefined;
  return {
    severity: item.reason === 'recovered' && !uncertain ? 'info' : event.severity,
    group,
    needsAction: group === 'action',
    reason: item.reason,
    name: event.subject.displayName,
    what,
    when:
      event.type === 'credential.rotated' || event.type === 'credential.removed'
        ? `${event.type === 'credential.rotated' ? 'rotated' : 'removed'} ${formatDate(event.time, options.timeZone)}`
        : end
          ? `${status} (${formatDate(end, options.timeZone)})`
          : `seen ${formatDate(event.time, options.timeZone)}`,
    headline: status ? `${event.subject.displayName} ${what} ${status}` : shorten(event.summary),
    summary:
      item.reportedAt && !hasWordsAsOf(event)
        ? `Last reported ${formatDate(item.reportedAt, options.timeZone)}: ${event.summary}`
        : event.summary,
    ...(uncertain ? uncertainWords(event, what) : {}),
    impact: event.impact,
    fix: [event.fix, reconnect?.note].filter(Boolean).join(' '),
    portalUrl,
    links: [
      { title: 'Open in the Azure portal', url: portalUrl },
      ...helpOf(event, options),
      ...(statusUrl ? [{ title: statusPageTitle, url: statusUrl }] : []),
    ],
    statusUrl,
    details: [...(item.heldInPart ? [heldInPartDetail] : []), ...describeIntelligence(event, at.toMillis())],
    reconnect: reconnect?.link,
    findingId: item.findingId,
    tenantId: event.tenantId,
    daysLeft: end ? daysLeftUntil(end, at) : undefined,
    reminder: item.reminder ? reminderText(item.reminder, options.timeZone) : undefined,
    heldInPart: item.heldInPart === true,
  };
}

/** The reconnect button of an item and the sentence its fix gains: how long the link works, or why there is none. */
function reconnectOf(
  offer: ReconnectOffer | undefined,
  item: NotificationItem,
  statusUrl: string | undefined,
  timeZone: string,
): { link?: ItemLink; note: string } | undefined {
  if (!offer) return undefined;
  const name = item.event.subject.displayName;
  switch (offer.kind) {
    case 'link':
      return {
        link: { title: `Sign in again to reconnect ${name}`, url: offer.url },
        note: `The sign-in link in this message works once, until ${formatDate(offer.expiresAt, timeZone)}.${offer.note ? ` ${offer.note}` : ''}`,
      };
    case 'none':
      return { note: offer.reason };
    case 'unavailable':
      return {
        ...(statusUrl ? { link: { title: `Reconnect ${name} on Vigil's status page`, url: statusUrl } } : {}),
        note: `Vigil could not make a sign-in link for this message (${offer.reason}): ${statusUrl ? "the Reconnect button on Vigil's status page makes one" : "ask Vigil's operators for one (POST /api/connections/{name}/sign-in-link)"}.`,
      };
  }
}

function whatOf({ event }: NotificationItem): string {
  if ('credentialType' in event.data)
    return `${credentialTypeWords[event.data.credentialType]}${event.data.displayName ? ` “${event.data.displayName}”` : ''}`;
  if ('connection' in event.data) return `token connection ${event.data.connection}`;
  return eventTypeWords[event.type];
}

/**
 * What helps with this kind of item beside the portal: the rotation runbook for a credential that needs
 * renewing or a rotation that failed (not for one that is gone), Microsoft's guide for a missing Graph
 * permission or Key Vault role. Nothing that does not help: a runbook does not grant a permission.
 */
function helpOf(event: VigilEvent, options: RenderOptions): ItemLink[] {
  const runbook = event.links.runbook ?? options.runbookUrl;
  switch (event.type) {
    case 'credential.expiring':
    case 'credential.expired':
    case 'credential.stale':
    case 'rotation.failed':
      return runbook ? [{ title: runbookTitle, url: runbook }] : [];
    case 'scan.failed':
      return event.data.missingPermission ? [permissionGuides.graph] : [];
    case 'vault.failed':
      return event.data.missingRole ? [permissionGuides.keyVault] : [];
    default:
      return [];
  }
}

/** A summary as a subject line: its first sentence, at most 80 characters. */
function shorten(summary: string): string {
  const sentence = summary.replace(/\.(\s.*)?$/s, '');
  return sentence.length <= 80 ? sentence : `${sentence.slice(0, 79).trimEnd()}…`;
}

/** Most urgent first: what needs action before the rest, then severity, then the fewest days left. */
export function sortViews(views: readonly ItemView[]): ItemView[] {
  const groupOrder: ItemGroup[] = ['action', 'hygiene', 'resolved', 'info'];
  const daysLeft = (v: ItemView): number => v.daysLeft ?? Number.MIN_SAFE_INTEGER;
  return [...views].sort(
    (a, b) =>
      groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) ||
      severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) ||
      daysLeft(a) - daysLeft(b) ||
      a.name.localeCompare(b.name),
  );
}
