import type { DateTime } from 'luxon';
import { describeUsage } from '../intelligence/CredentialUsage.js';
import { describeImpact } from '../intelligence/Impact.js';
import { credentialTypeWords } from './credentialTypeWords.js';
import type { Finding } from './Finding.js';

/** What a credential's words are made of: enough to say them again at any later moment (a reminder's). */
export type CredentialWordsFacts = Pick<
  Finding,
  | 'status'
  | 'credentialType'
  | 'credentialName'
  | 'subjectName'
  | 'endDateTime'
  | 'daysLeft'
  | 'overlap'
  | 'vaultCopy'
  | 'vaultCopyStale'
  | 'usage'
  | 'advice'
  | 'impact'
>;

export interface CredentialWords {
  summary: string;
  impact: string;
  fix: string;
}

const renewals = {
  password: 'Add a new client secret, put it where the system that signs in reads it, then remove the old one.',
  certificate: 'Upload a new certificate, install it where the system that signs in reads it, then remove the old one.',
  samlSigning: 'Create a new SAML signing certificate, give its metadata to the service provider, then make it active.',
  vaultSecret: 'Store a new version of the secret with a later expiry.',
} as const;

/**
 * A credential that is expiring, expired or stale, in words for a person as it stands at `now`: the
 * scanner says them when it reports, and a reminder says them again at its own `now` ("expired 7 days
 * ago", not the "less than a day ago" of the first report).
 */
export function toCredentialWords(f: CredentialWordsFacts, now: DateTime): CredentialWords {
  return withIntelligence(f, describe(f, now), now.toMillis());
}

/**
 * The words with what the intelligence adds: what stops with the credential, and for an unused one the
 * advice to let it lapse instead of the renewal steps (renewing an unused secret only keeps a door open).
 */
function withIntelligence(f: CredentialWordsFacts, text: CredentialWords, nowMs: number): CredentialWords {
  const radius =
    f.impact && f.impact.connections.length > 0
      ? ` ${capitalise(describeImpact({ ...f.impact, vaultCopies: [], owners: null }))} on ${f.endDateTime.slice(0, 10)}.`
      : '';
  const unused = f.usage?.kind === 'unused' && f.advice?.kind === 'remove' ? f.advice : undefined;
  return {
    summary: unused
      ? `${text.summary} It is unused: let it lapse or remove it, do not rotate.`
      : f.usage?.kind === 'used'
        ? `${text.summary} ${capitalise(describeUsage(f.usage, nowMs))}.`
        : text.summary,
    impact: unused ? `Probably nothing: ${unused.reason}` : `${text.impact}${radius}`,
    fix: unused ? unused.text : text.fix,
  };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function describe(f: CredentialWordsFacts, now: DateTime): CredentialWords {
  const date = f.endDateTime.slice(0, 10);
  const copy = !f.vaultCopy
    ? ''
    : f.vaultCopyStale
      ? ` The copy in Key Vault secret "${f.vaultCopy.secretName}" is stale: it still holds this one.`
      : ` Key Vault secret "${f.vaultCopy.secretName}" holds a copy.`;
  const ago = expiredAgo(f.endDateTime, now);
  if (f.status === 'stale')
    return {
      summary: `${credentialWhat(f)} expired ${ago} and a newer one replaced it: stale, remove it.`,
      impact: 'None; an unused credential only widens what an attacker could try.',
      fix: 'Remove the expired credential.',
    };
  if (f.overlap) {
    const when = f.status === 'expired' ? `expired ${ago}` : `expires in ${days(f.daysLeft)} on ${date}`;
    return {
      summary: `${credentialWhat(f)} ${when}; a newer one exists (rotate soon, overlap exists).`,
      impact: 'Nothing breaks if every system already uses the newer credential.',
      fix: 'Move anything still using it to the newer credential, then remove it.',
    };
  }
  if (f.status === 'expired') {
    return {
      summary: `${credentialWhat(f)} expired ${ago} (${date}) and nothing replaced it.${copy}`,
      impact: `${f.subjectName} cannot sign in with it since ${date}.`,
      fix: renewals[f.credentialType],
    };
  }
  return {
    summary: `${credentialWhat(f)} expires in ${days(f.daysLeft)} on ${date}; no newer one exists.${copy}`,
    impact: `${f.subjectName} will break on ${date} unless it is renewed.`,
    fix: renewals[f.credentialType],
  };
}

/** "The client secret “prod” of Creatio CRM", or "Key Vault secret …" for a vault secret. */
export function credentialWhat(f: Pick<Finding, 'credentialType' | 'credentialName' | 'subjectName'>): string {
  if (f.credentialType === 'vaultSecret') return `Key Vault secret "${f.subjectName}"`;
  const name = f.credentialName ? ` "${f.credentialName}"` : '';
  const word = credentialTypeWords[f.credentialType];
  return `The ${word}${name} of ${f.subjectName}`;
}

/** "12 days ago", "1 day ago", or "less than a day ago": from the end time, never "today" past it. */
function expiredAgo(endDateTime: string, now: DateTime): string {
  const whole = Math.floor((now.toMillis() - Date.parse(endDateTime)) / 86_400_000);
  return whole < 1 ? 'less than a day ago' : `${days(whole)} ago`;
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}
