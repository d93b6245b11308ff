import { escapeHtml as e } from '../helpers/escapeHtml.js';
import type { SnoozeLimits } from '../notifications/planSnooze.js';

/**
 * What a status-page form did, carried back to the page in the query string of its 303 redirect: codes and
 * ids only, so a crafted link can make the page say nothing but Vigil's own sentences.
 */
export const formNoticeCodes = [
  'snoozed',
  'unsnoozed',
  'snoozeRefused',
  'unknownFinding',
  'connectionGone',
  'misconfigured',
  'noOwner',
  'vaultUnavailable',
  'redirectUriMissing',
  'noLink',
  'signInsOff',
] as const;
export type FormNoticeCode = (typeof formNoticeCodes)[number];

export interface FormNotice {
  code: FormNoticeCode;
  about: string | undefined;
  until: string | undefined;
}

/** The notice as one sentence of HTML, and whether it reports success. */
export function describeFormNotice(notice: FormNotice, limits: SnoozeLimits): { html: string; ok: boolean } {
  const about = `<code>${e(notice.about ?? '?')}</code>`;
  switch (notice.code) {
    case 'snoozed':
      return { ok: true, html: `Snoozed ${about}${notice.until ? ` until ${e(notice.until)}` : ''}: it is listed under Snoozed.` };
    case 'unsnoozed':
      return { ok: true, html: `Ended the snooze of ${about}: it is announced again on its routes now.` };
    case 'snoozeRefused':
      return {
        ok: false,
        html: `Did not snooze ${about}: a snooze lasts at most ${limits.maxDays} days and ends at most ${limits.expiryMarginDays} days after the credential does. Try a shorter one.`,
      };
    case 'unknownFinding':
      return { ok: false, html: `Vigil has not reported a finding ${about}.` };
    case 'connectionGone':
      return { ok: false, html: `No sign-in link for ${about}: it is no longer in its vault.` };
    case 'misconfigured':
      return {
        ok: false,
        html: `No sign-in link for ${about}: its tags do not describe a token connection (GET /api/connections says what is wrong).`,
      };
    case 'noOwner':
      return { ok: false, html: `No sign-in link for ${about}: it has no vigil-owner tag naming the account that signs in.` };
    case 'vaultUnavailable':
      return { ok: false, html: `No sign-in link for ${about}: its Key Vault could not be read. Try again shortly.` };
    case 'redirectUriMissing':
      return {
        ok: false,
        html: `No sign-in link for ${about}: its app does not list Vigil's redirect URI (POST /api/connections/${e(notice.about ?? '')}/sign-in-link names it).`,
      };
    case 'noLink':
      return { ok: false, html: `No sign-in link could be made for ${about}.` };
    case 'signInsOff':
      return { ok: false, html: 'Sign-in links are off: set VIGIL_PUBLIC_BASE_URL to offer them.' };
  }
}
