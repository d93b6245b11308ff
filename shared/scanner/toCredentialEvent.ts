import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import type { CredentialNotice } from './diffFindings.js';
import type { Finding } from './Finding.js';
import type { ScanTarget } from './ScanTarget.js';
import { credentialTypeWords } from './credentialTypeWords.js';
import { describeUsage } from '../intelligence/CredentialUsage.js';
import { describeImpact } from '../intelligence/Impact.js';

const renewals = {
  password: 'Add a new client secret, put it where the system that signs in reads it, then remove the old one.',
  certificate: 'Upload a new certificate, install it where the system that signs in reads it, then remove the old one.',
  samlSigning: 'Create a new SAML signing certificate, give its metadata to the service provider, then make it active.',
  vaultSecret: 'Store a new version of the secret with a later expiry.',
} as const;

/** One situation of a credential: its type, tenant, object, key id and ladder step (or hygiene items). */
export function credentialDedupeKey(type: string, tenantId: string, objectId: string, keyId: string, step: number | string): string {
  return [type, tenantId, objectId, keyId, step].join('|');
}

/** A credential notice as an event: facts, words for a person, the portal link, and a dedupe key per threshold. */
export function toCredentialEvent(notice: CredentialNotice, target: ScanTarget, now: DateTime): VigilEvent {
  const f = notice.finding;
  const { replacedBy } = notice;
  const data = {
    keyId: f.keyId,
    credentialType: f.credentialType,
    displayName: f.credentialName,
    endDateTime: f.endDateTime,
    daysLeft: f.daysLeft,
    threshold: f.threshold,
    overlap: f.overlap,
    ...(f.vaultCopy ? { vaultCopy: { ...f.vaultCopy, stale: f.vaultCopyStale } } : {}),
    ...(f.usage ? { usage: f.usage } : {}),
    ...(f.advice ? { advice: f.advice } : {}),
    ...(f.impact ? { impact: f.impact } : {}),
    ...(f.hygiene.length > 0 ? { hygiene: f.hygiene } : {}),
  };
  // A hygiene finding is one situation per set of items: another item is news, the same ones again are not.
  const step =
    f.status === 'hygiene'
      ? f.hygiene
          .map((h) => h.check)
          .sort()
          .join(',')
      : f.threshold;
  const common = {
    tenantId: f.tenantId,
    subject: { kind: f.subjectKind, id: f.objectId, displayName: f.subjectName, ...(f.appId ? { appId: f.appId } : {}) },
    dedupeKey: credentialDedupeKey(notice.type, f.tenantId, f.objectId, f.keyId, step),
    routing: { ...definedOnly(target.routing), tags: {} },
    links: { portal: f.portalUrl },
  };
  if (notice.type === 'credential.rotated') {
    const text = {
      summary:
        f.credentialType === 'vaultSecret'
          ? `${what(f)} has a new version with a later expiry.`
          : `${what(f)} was replaced by a newer one.`,
      impact: '',
      fix: f.credentialType === 'vaultSecret' ? '' : 'Remove the old credential once nothing uses it any more.',
    };
    return newEvent(
      { ...common, ...text, type: 'credential.rotated', severity: 'info', data: { ...data, ...(replacedBy ? { replacedBy } : {}) } },
      now,
    );
  }
  if (notice.type === 'credential.removed') {
    const text = { summary: removedSummary(f, notice.objectDeleted === true), impact: '', fix: '' };
    const removed = { ...data, status: f.status, objectDeleted: notice.objectDeleted === true };
    return newEvent({ ...common, ...text, type: 'credential.removed', severity: 'info', data: removed }, now);
  }
  if (notice.type === 'credential.hygiene')
    return newEvent({ ...common, ...describeHygiene(f), type: notice.type, severity: 'info', data }, now);
  return newEvent(
    { ...common, ...withIntelligence(f, describe(f, now), now.toMillis()), type: notice.type, severity: f.severity, data },
    now,
  );
}

const hygieneLabels: Record<Finding['hygiene'][number]['check'], string> = {
  lifetimeOverPolicy: 'valid longer than the app management policy allows',
  lifetimeOverMaximum: 'valid longer than Vigil allows',
  tooManySecrets: 'one secret too many on the app',
  besideFederatedCredential: 'kept beside a federated identity credential',
  expiredLeftOnApp: 'expired and left on the app',
};

function describeHygiene(f: Finding): { summary: string; impact: string; fix: string } {
  return {
    summary: `${what(f)} is ${f.hygiene.map((h) => hygieneLabels[h.check]).join(', and ')}: tidy it up.`,
    impact:
      'Nothing breaks if it stays; an auditor would raise it, and every long-lived or spare secret widens what an attacker could use.',
    fix: f.hygiene.map((h) => h.reason).join(' '),
  };
}

/**
 * The words with what the intelligence adds: what stops with the credential, and for an unused one the
 * advice to let it lapse instead of the renewal steps (renewing an unused secret only keeps a door open).
 */
function withIntelligence(
  f: Finding,
  text: { summary: string; impact: string; fix: string },
  nowMs: number,
): { summary: string; impact: string; fix: string } {
  const radius =
    f.impact && f.impact.connections.length > 0
      ? ` ${capitalise(describeImpact({ ...f.impact, vaultCopies: [], owners: null }))} on ${f.endDateTime.slice(0, 10)}.`
      : '';
  const unused = f.usage?.kind === 'unused' && f.advice?.kind === 'remove';
  return {
    summary: unused
      ? `${text.summary} It is unused: let it lapse or remove it, do not rotate.`
      : f.usage?.kind === 'used'
        ? `${text.summary} ${capitalise(describeUsage(f.usage, nowMs))}.`
        : text.summary,
    impact: unused ? `Probably nothing: ${f.advice!.reason}` : `${text.impact}${radius}`,
    fix: unused ? f.advice!.text : text.fix,
  };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function describe(f: Finding, now: DateTime): { summary: string; impact: string; fix: string } {
  const date = f.endDateTime.slice(0, 10);
  const copy = !f.vaultCopy
    ? ''
    : f.vaultCopyStale
      ? ` The copy in Key Vault secret "${f.vaultCopy.secretName}" is stale: it still holds this one.`
      : ` Key Vault secret "${f.vaultCopy.secretName}" holds a copy.`;
  const ago = expiredAgo(f.endDateTime, now);
  if (f.status === 'stale')
    return {
      summary: `${what(f)} expired ${ago} and a newer one replaced it: stale, remove it.`,
      impact: 'None; an unused credential only widens what an attacker could try.',
      fix: 'Remove the expired credential.',
    };
  if (f.overlap) {
    const when = f.status === 'expired' ? `expired ${ago}` : `expires in ${days(f.daysLeft)} on ${date}`;
    return {
      summary: `${what(f)} ${when}; a newer one exists (rotate soon, overlap exists).`,
      impact: 'Nothing breaks if every system already uses the newer credential.',
      fix: 'Move anything still using it to the newer credential, then remove it.',
    };
  }
  if (f.status === 'expired') {
    return {
      summary: `${what(f)} expired ${ago} (${date}) and nothing replaced it.${copy}`,
      impact: `${f.subjectName} cannot sign in with it since ${date}.`,
      fix: renewals[f.credentialType],
    };
  }
  return {
    summary: `${what(f)} expires in ${days(f.daysLeft)} on ${date}; no newer one exists.${copy}`,
    impact: `${f.subjectName} will break on ${date} unless it is renewed.`,
    fix: renewals[f.credentialType],
  };
}

/** The closing words: nothing is left to renew, so reminders about it end. */
function removedSummary(f: Finding, objectDeleted: boolean): string {
  if (f.credentialType === 'vaultSecret') return `${what(f)} was deleted or disabled; nothing is left to renew.`;
  if (!objectDeleted) return `${what(f)} was removed; nothing is left to renew.`;
  const name = f.credentialName ? ` "${f.credentialName}"` : '';
  return `${f.subjectName} was deleted, and with it its ${credentialTypeWords[f.credentialType]}${name}; nothing is left to renew.`;
}

function what(f: Finding): string {
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

function definedOnly(routing: ScanTarget['routing']): { owner?: string; team?: string } {
  return { ...(routing.owner ? { owner: routing.owner } : {}), ...(routing.team ? { team: routing.team } : {}) };
}
