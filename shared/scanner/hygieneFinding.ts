import type { DateTime } from 'luxon';
import type { HygieneItem } from '../intelligence/HygieneItem.js';
import { daysLeftUntil } from './evaluateCredential.js';
import type { CredentialFacts, Finding } from './Finding.js';

/**
 * A credential off the expiry ladder that an auditor would still raise: a finding of its own, at `info`,
 * listed to tidy up and never as needing action.
 */
export function hygieneFinding(facts: CredentialFacts, hygiene: HygieneItem[], now: DateTime): Finding {
  return {
    ...facts,
    status: 'hygiene',
    daysLeft: daysLeftUntil(facts.endDateTime, now),
    threshold: 0,
    severity: 'info',
    overlap: false,
    vaultCopyStale: false,
    usage: null,
    advice: null,
    impact: null,
    hygiene,
  };
}
