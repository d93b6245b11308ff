import type { Severity } from '../events/vigilEvent.js';
import { severityOrder, sortViews, type ItemView } from './describeItem.js';
import { isUncertain, type ItemGroup } from './describePart.js';

/**
 * Counts for the subject and header: what needs action by severity (hygiene apart), and the uncertain recoveries
 * among it to check (their event's severity, info, would misstate them), what recovered, records.
 */
export function countViews(
  views: readonly ItemView[],
): Record<ItemGroup, number> & { bySeverity: Array<[Severity, number]>; toCheck: number } {
  const count = (group: ItemGroup) => views.filter((v) => v.group === group).length;
  const action = views.filter((v) => v.needsAction);
  const ranked = action.filter((v) => !isUncertain(v));
  return {
    action: action.length,
    bySeverity: severityOrder.map((s) => [s, ranked.filter((v) => v.severity === s).length] as [Severity, number]).filter(([, n]) => n > 0),
    toCheck: action.length - ranked.length,
    hygiene: count('hygiene'),
    resolved: count('resolved'),
    info: count('info'),
  };
}

/**
 * What matters most first: the count that needs action by severity and the most urgent item by name,
 * then the rest as counts. "3 need action (1 critical, 2 high) — Creatio CRM client secret “prod” expires
 * in 2 days, +2 · 1 resolved". A digest of reminders only is "still open".
 */
export function headline(views: readonly ItemView[]): string {
  const c = countViews(views);
  const sorted = sortViews(views);
  const lead = (group: ItemGroup, label: string): string => {
    const top = sorted.find((v) => v.group === group)!;
    return `${label} — ${top.headline}${c[group] > 1 ? `, +${c[group] - 1}` : ''}`;
  };
  const action = views.filter((v) => v.needsAction);
  const parts = [
    c.action > 0
      ? `${c.action} ${action.every((v) => v.reason === 'reminder') ? 'still open' : c.action === 1 ? 'needs action' : 'need action'} (${[...c.bySeverity.map(([s, n]) => `${n} ${s}`), ...(c.toCheck > 0 ? [`${c.toCheck} to check`] : [])].join(', ')})`
      : undefined,
    c.hygiene > 0 ? `${c.hygiene} to tidy up` : undefined,
    c.resolved > 0 ? `${c.resolved} resolved` : undefined,
    c.info > 0 ? `${c.info} for information` : undefined,
  ];
  const first = parts.findIndex((p) => p !== undefined);
  if (first === -1) return 'nothing to report';
  const groups: ItemGroup[] = ['action', 'hygiene', 'resolved', 'info'];
  parts[first] = lead(groups[first]!, parts[first]!);
  return parts.filter((p): p is string => p !== undefined).join(' · ');
}
