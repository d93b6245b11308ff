import { describe, expect, it } from 'vitest';
import type { HygieneContext } from '../../../shared/intelligence/judgeHygiene.js';
import type { FactsContext } from '../../../shared/scanner/credentialFactsOf.js';
import type { CredentialRecord, DirectoryObject } from '../../../shared/scanner/DirectoryObject.js';
import { judgeObject } from '../../../shared/scanner/judgeObject.js';
import { inDays, judge } from './scannerFixtures.js';

const context: FactsContext = { ...judge.context, isFederated: () => false };
const hygiene: HygieneContext = {
  policies: { kind: 'unavailable', reason: 'not read in this test' },
  federatedApps: new Set(),
  secretMaxLifetimeDays: 180,
};

const secret = (keyId: string, endsInDays: number, startedDaysAgo?: number): CredentialRecord => ({
  keyId,
  displayName: keyId,
  endDateTime: inDays(endsInDays),
  ...(startedDaysAgo === undefined ? {} : { startDateTime: inDays(-startedDaysAgo) }),
});
const object = (kind: DirectoryObject['kind'], passwordCredentials: CredentialRecord[]): DirectoryObject => ({
  kind,
  id: 'object-1',
  appId: 'app-1',
  displayName: 'Payroll',
  passwordCredentials,
  keyCredentials: [],
  preferredSingleSignOnMode: null,
  preferredTokenSigningKeyEndDateTime: null,
});

describe('judgeObject', () => {
  it('adds hygiene items to the findings they concern, raises the others alone, and keeps no upcoming crossing that is raised already', () => {
    // Four active secrets: the two that end first are one too many each; the one valid 410 days is over Vigil's 180.
    const judged = judgeObject(
      object('application', [secret('soon', 5), secret('upcoming', 61), secret('far', 300), secret('long', 400, 10)]),
      judge,
      context,
      hygiene,
    );
    expect(judged.facts.map((f) => f.keyId)).toEqual(['soon', 'upcoming', 'far', 'long']);
    expect(judged.findings.map((f) => [f.keyId, f.status, f.hygiene.map((h) => h.check)])).toEqual([
      ['soon', 'expiring', ['tooManySecrets']],
      ['upcoming', 'hygiene', ['tooManySecrets']],
      ['long', 'hygiene', ['lifetimeOverMaximum']],
    ]);
    expect(judged.upcoming).toEqual([]);
  });

  it('keeps a credential that time alone brings onto the ladder as upcoming, and finds nothing else', () => {
    const judged = judgeObject(object('application', [secret('upcoming', 61)]), judge, context, hygiene);
    expect(judged.findings).toEqual([]);
    expect(judged.upcoming.map((f) => f.keyId)).toEqual(['upcoming']);
  });

  it('finds nothing for an object with no credential', () => {
    expect(judgeObject(object('servicePrincipal', []), judge, context, hygiene)).toEqual({ facts: [], findings: [], upcoming: [] });
  });
});
