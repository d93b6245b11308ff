import { escapeHtml as e } from '../helpers/escapeHtml.js';
import type { ConnectionRow, CredentialRow, DashboardView, SnoozeRow } from './DashboardView.js';
import { describeFormNotice } from './FormNotice.js';

/** A page's forms: the caller's tokens and the filters to come back to after a post. */
export interface FormContext {
  snoozeToken: string;
  reconnectToken: string;
  /** Hidden inputs carrying the page's tenant and severity filters, so the redirect comes back to the same view. */
  keep: string;
}

/** The snooze days the page offers; the JSON API takes any number within the limits. */
export const SNOOZE_CHOICES = [7, 30] as const;

const hidden = (name: string, value: string) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`;

/** The forms' context for a view, or undefined when the caller may not act (no Vigil.Rotate): then no form is shown. */
export function formContextOf(view: DashboardView): FormContext | undefined {
  if (!view.forms) return undefined;
  const keep = [
    ...(view.filters.tenant ? [hidden('tenant', view.filters.tenant)] : []),
    ...(view.filters.severity ? [hidden('severity', view.filters.severity)] : []),
  ].join('');
  return { snoozeToken: view.forms.snooze, reconnectToken: view.forms.reconnect, keep };
}

/**
 * Snooze for 7 or 30 days with a reason: a plain HTML form (the page runs no script) posted to
 * `dashboard/snooze`, which checks its token and origin and redirects back (303) with what it did.
 */
export function snoozeForm(forms: FormContext, c: CredentialRow): string {
  const buttons = SNOOZE_CHOICES.map((d) => `<button type="submit" name="days" value="${d}">Snooze ${d} days</button>`).join(' ');
  return `<form method="post" action="dashboard/snooze" class="act">${hidden('token', forms.snoozeToken)}${hidden('action', 'snooze')}${hidden('finding', c.findingId)}${forms.keep}<input name="reason" required maxlength="500" placeholder="Reason" aria-label="${e(`Reason to snooze ${c.app}`)}"> ${buttons}</form>`;
}

export function unsnoozeForm(forms: FormContext, s: SnoozeRow): string {
  return `<form method="post" action="dashboard/snooze" class="act">${hidden('token', forms.snoozeToken)}${hidden('action', 'unsnooze')}${hidden('finding', s.findingId)}${forms.keep}<button type="submit" aria-label="${e(`End the snooze of ${s.finding}`)}">Unsnooze</button></form>`;
}

/** Makes a sign-in link only when asked (a post), then opens it: a page view makes none. */
export function reconnectForm(forms: FormContext, c: ConnectionRow): string {
  return `<form method="post" action="dashboard/reconnect" class="act">${hidden('token', forms.reconnectToken)}${hidden('name', c.name)}${hidden('vault', c.vault)}${forms.keep}<button type="submit" aria-label="${e(`Reconnect ${c.name}: make a sign-in link for its owner`)}">Reconnect</button></form>`;
}

/** What the caller's last form post did, at the top of the page. */
export function renderNotice(view: DashboardView): string {
  if (!view.notice) return '';
  const { html, ok } = describeFormNotice(view.notice.said, view.notice.snoozeLimits);
  return `<p id="notice" role="status" class="${ok ? 'ok' : 'attention'}">${html}</p>`;
}
