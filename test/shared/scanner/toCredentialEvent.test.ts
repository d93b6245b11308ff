import { describe, expect, it } from 'vitest';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { toCredentialEvent } from '../../../shared/scanner/toCredentialEvent.js';
import { NOW, facts, policy, target } from './scannerFixtures.js';

const expiredEvent = (endDateTime: string) => {
  const finding = evaluateCredential(facts({ endDateTime }), policy, NOW)!;
  return toCredentialEvent({ type: 'credential.expired', finding }, target, NOW);
};

describe('toCredentialEvent', () => {
  it('describes a credential that expired an hour ago as expired, never as expiring today', () => {
    const event = expiredEvent(NOW.minus({ hours: 1 }).toISO()!);
    expect(event.type === 'credential.expired' && event.data.daysLeft).toBe(-1);
    expect(event.summary).toMatch(/expired less than a day ago/);
    expect(event.summary).not.toMatch(/today|0 days/);
  });

  it('counts whole days since the end once a day has passed', () => {
    expect(expiredEvent(NOW.minus({ days: 1, hours: 2 }).toISO()!).summary).toMatch(/expired 1 day ago \(/);
    expect(expiredEvent(NOW.minus({ days: 12, hours: 2 }).toISO()!).summary).toMatch(/expired 12 days ago \(/);
  });
});
