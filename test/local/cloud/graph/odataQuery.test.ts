import { describe, expect, it } from 'vitest';
import { collectionInfo } from '../../../../local/cloud/graph/directoryCollections.js';
import { matchesFilter, parseFilter, parseSelect, parseTop } from '../../../../local/cloud/graph/odataQuery.js';

const apps = collectionInfo.applications;

describe('parseFilter', () => {
  it.each([
    [`appId eq '1a2b'`, [{ property: 'appId', operator: 'eq', value: '1a2b' }]],
    [`DisplayName eq 'O''Brien'`, [{ property: 'displayName', operator: 'eq', value: "O'Brien" }]],
    [`startswith(displayName,'Gen')`, [{ property: 'displayName', operator: 'startswith', value: 'Gen' }]],
    [
      `id eq 'a' or id eq 'b'`,
      [
        { property: 'id', operator: 'eq', value: 'a' },
        { property: 'id', operator: 'eq', value: 'b' },
      ],
    ],
  ])('reads %s', (raw, expected) => {
    expect(parseFilter(raw, apps)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [`signInAudience eq 'AzureADMyOrg'`, 'signInAudience'],
    [`displayName ne 'x'`, 'displayName'],
    [`startswith(appId,'1')`, 'appId'],
    [`id eq 'a' and displayName eq 'b'`, 'and'],
    [`endswith(displayName,'x')`, 'displayName'],
  ])('refuses %s naming %s', (raw, property) => {
    expect(parseFilter(raw, apps)).toMatchObject({
      ok: false,
      status: 400,
      code: 'Request_UnsupportedQuery',
      message: `Unsupported or invalid query filter clause specified for property '${property}' of resource 'Application'.`,
    });
  });

  it('restricts the properties when asked (delta allows only id)', () => {
    expect(parseFilter(`appId eq 'x'`, apps, ['id'])).toMatchObject({ ok: false });
  });

  it('matches without regard to case', () => {
    const clauses = [{ property: 'displayName', operator: 'startswith' as const, value: 'cerb' }];
    expect(matchesFilter({ displayName: 'Cerb Helpdesk' }, clauses)).toBe(true);
    expect(matchesFilter({ displayName: 'Creatio' }, clauses)).toBe(false);
  });
});

describe('parseTop and parseSelect', () => {
  it.each([
    [null, 100],
    ['1', 1],
    ['999', 999],
  ])('accepts $top=%s as %d', (raw, expected) => {
    expect(parseTop(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(['0', '1000', 'ten', '-1'])('refuses $top=%s', (raw) => {
    expect(parseTop(raw)).toMatchObject({
      ok: false,
      code: 'Request_UnsupportedQuery',
      message: `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`,
    });
  });

  it('spells selected properties as Graph does and refuses unknown ones', () => {
    expect(parseSelect('appid, PASSWORDCREDENTIALS', apps)).toEqual({ ok: true, value: ['appId', 'passwordCredentials'] });
    expect(parseSelect('secretHash', apps)).toMatchObject({
      ok: false,
      message: "Could not find a property named 'secretHash' on type 'microsoft.graph.application'.",
    });
  });
});
