import { describe, expect, it } from 'vitest';
import { newEvent } from '../../../shared/events/newEvent.js';
import { globMatches, routesFor } from '../../../shared/notifications/routeEvents.js';
import { routesConfigSchema } from '../../../shared/notifications/routesConfig.js';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { FindingTally } from '../../../shared/scanner/tallyFindings.js';
import { toScanBaselineEvent } from '../../../shared/scanner/toScanEvent.js';
import { facts, inDays, policy, target } from '../scanner/scannerFixtures.js';
import { expiring, NOW, routes, TENANT, tokenFailed, tokenRefreshed } from './notificationFixtures.js';

describe('routesFor', () => {
  const config = routes();
  it.each([
    ['a Creatio secret, by name pattern', expiring({ app: 'Creatio CRM' }), ['creatio', 'ops']],
    ['a Cerb token, by downstream tag', tokenFailed(), ['cerb', 'ops']],
    ['an app no rule names, to the default route', expiring({ app: 'Courier Connect' }), ['ops']],
    ['a refreshed token, only where a rule names its type', tokenRefreshed(), ['audit']],
  ])('routes %s', (_, event, expected) => {
    expect(routesFor(event, config)).toEqual(expected);
  });

  it('stops at a final rule and matches tenants, severity and tags together', () => {
    const strict = routesConfigSchema.parse({
      defaultRoute: 'ops',
      routes: { ops: { teams: [{ name: 'ops', urlSecretName: 'x' }] }, oncall: { teams: [{ name: 'oncall', urlSecretName: 'y' }] } },
      rules: [
        { match: { tenants: [TENANT], minSeverity: 'critical', types: ['credential.*'] }, routes: ['oncall'], final: true },
        { match: { minSeverity: 'high' }, routes: ['ops'] },
      ],
    });
    expect(routesFor(expiring({ daysLeft: -1 }), strict)).toEqual(['oncall']);
    expect(routesFor(expiring({ daysLeft: 5, severity: 'high' }), strict)).toEqual(['ops']);
    expect(routesFor(expiring({ daysLeft: 50, severity: 'low' }), strict)).toEqual(['ops']);
  });

  it("routes a first scan's baseline like a problem, by its severity, unless it only counts info findings", () => {
    const baselineOf = (...days: number[]) => {
      const tally = new FindingTally(0);
      tally.add(days.map((d, i) => evaluateCredential(facts({ tenantId: TENANT, keyId: `k${i}`, endDateTime: inDays(d) }), policy, NOW)!));
      return toScanBaselineEvent({ ...target, tenantId: TENANT }, { applications: 1, servicePrincipals: 1, at: NOW.toISO()! }, tally, NOW);
    };
    expect(baselineOf(20, 45)).toMatchObject({ type: 'scan.baseline', severity: 'medium' });
    expect(routesFor(baselineOf(20, 45), config)).toEqual(['ops']);
    const stale = new FindingTally(0);
    stale.add([
      evaluateCredential(facts({ endDateTime: inDays(-45), outlivedBy: { keyId: 'new', endDateTime: inDays(300) } }), policy, NOW)!,
    ]);
    const staleOnly = toScanBaselineEvent(target, { applications: 1, servicePrincipals: 1, at: NOW.toISO()! }, stale, NOW);
    expect(staleOnly).toMatchObject({ severity: 'info', data: { later: { byStatus: { stale: 1 } } } });
    expect(routesFor(staleOnly, config)).toEqual([]);
  });

  it('always reports a delivery failure on the default route', () => {
    const failure = newEvent(
      {
        type: 'delivery.failed',
        tenantId: TENANT,
        subject: { kind: 'channel', id: 'creatio/webhook:creatio', displayName: 'webhook:creatio on route creatio' },
        severity: 'high',
        summary: 'x',
        dedupeKey: 'delivery.failed|creatio|webhook:creatio|gone',
        data: { channel: 'webhook:creatio', route: 'creatio', attempts: 1, reason: 'HTTP 410 Gone', disabled: true },
      },
      NOW,
    );
    const config = routesConfigSchema.parse({ ...routes(), rules: [{ match: { types: ['delivery.failed'] }, routes: ['audit'] }] });
    expect(routesFor(failure, config)).toEqual(['audit', 'ops']);
  });
});

describe('globMatches', () => {
  it.each([
    ['creatio*', 'Creatio CRM', true],
    ['*CRM', 'Creatio CRM', true],
    ['C?rb*', 'Cerb Helpdesk', true],
    ['cerb', 'Cerb Helpdesk', false],
    ['a.b', 'axb', false],
  ])('%s ~ %s → %s', (pattern, text, expected) => expect(globMatches(pattern, text)).toBe(expected));
});

describe('routesConfigSchema', () => {
  it('names undefined routes and mail without recipients', () => {
    const result = routesConfigSchema.safeParse({
      defaultRoute: 'nowhere',
      routes: { ops: { mail: { to: [] } } },
      rules: [{ match: {}, routes: ['missing'] }],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toEqual([
      'defaultRoute "nowhere" is not one of the routes',
      'rules[0] names route "missing", which is not defined',
      'routes.ops.mail needs recipients in "to" or includeAppOwners',
    ]);
  });

  it('refuses a Teams URL in the settings: only a Key Vault secret name', () => {
    const result = routesConfigSchema.safeParse({
      defaultRoute: 'ops',
      routes: { ops: { teams: [{ name: 'ops', url: 'https://x.logic.azure.com/?sig=abc' }] } },
    });
    expect(result.success).toBe(false);
  });
});
