import type { DateTime } from 'luxon';
import type { VigilEvent } from '../events/vigilEvent.js';
import { toCredentialWords } from '../scanner/toCredentialWords.js';
import { daysLeftUntil } from '../scanner/evaluateCredential.js';

/** A credential still counting down or lapsed: its words depend on when they are read, so a reminder says them anew. */
export function hasWordsAsOf(event: VigilEvent): event is Extract<VigilEvent, { type: 'credential.expiring' | 'credential.expired' }> {
  return event.type === 'credential.expiring' || event.type === 'credential.expired';
}

/**
 * The event as things stand at `now`: days left from the end date, and for an expiring or expired
 * credential the summary, impact and fix said again from its facts, in the scanner's words. What
 * receivers dedupe on (type, subject, dedupe key, finding) is untouched; so is the severity, which the
 * next scan judges.
 */
export function eventAsOf(event: VigilEvent, now: DateTime): VigilEvent {
  if (!hasWordsAsOf(event)) return event;
  const { data } = event;
  const daysLeft = daysLeftUntil(data.endDateTime, now);
  const words = toCredentialWords(
    {
      status: daysLeft < 0 ? 'expired' : 'expiring',
      credentialType: data.credentialType,
      credentialName: data.displayName,
      subjectName: event.subject.displayName,
      endDateTime: data.endDateTime,
      daysLeft,
      overlap: data.overlap,
      vaultCopy: data.vaultCopy ? { vaultUrl: data.vaultCopy.vaultUrl, secretName: data.vaultCopy.secretName } : null,
      vaultCopyStale: data.vaultCopy?.stale ?? false,
      usage: data.usage ?? null,
      advice: data.advice ?? null,
      impact: data.impact ?? null,
    },
    now,
  );
  return { ...event, ...words, data: { ...data, daysLeft } };
}
