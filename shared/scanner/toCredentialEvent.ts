import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import type { CredentialNotice } from './diffFindings.js';
import type { Finding } from './Finding.js';
import type { ScanTarget } from './ScanTarget.js';
import { credentialTypeWords } from './credentialTypeWords.js';
import { credentialWhat as what, toCredentialWords } from './toCredentialWords.js';

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
  return newEvent({ ...common, ...toCredentialWords(f, now), type: notice.type, severity: f.severity, data }, now);
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

/** The closing words: nothing is left to renew, so reminders about it end. */
function removedSummary(f: Finding, objectDeleted: boolean): string {
  if (f.credentialType === 'vaultSecret') return `${what(f)} was deleted or disabled; nothing is left to renew.`;
  if (!objectDeleted) return `${what(f)} was removed; nothing is left to renew.`;
  const name = f.credentialName ? ` "${f.credentialName}"` : '';
  return `${f.subjectName} was deleted, and with it its ${credentialTypeWords[f.credentialType]}${name}; nothing is left to renew.`;
}

function definedOnly(routing: ScanTarget['routing']): { owner?: string; team?: string } {
  return { ...(routing.owner ? { owner: routing.owner } : {}), ...(routing.team ? { team: routing.team } : {}) };
}
