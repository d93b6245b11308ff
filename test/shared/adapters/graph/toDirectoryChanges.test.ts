import { describe, expect, it } from 'vitest';
import { toDirectoryChange, toDirectoryPage } from '../../../../shared/adapters/graph/toDirectoryChanges.js';

const item = {
  id: 'obj-1',
  appId: 'app-1',
  displayName: 'Payroll',
  createdDateTime: '2024-01-01T00:00:00Z',
  passwordCredentials: [
    { keyId: 'p-1', displayName: 'prod', startDateTime: '2025-01-01T00:00:00Z', endDateTime: '2026-01-01T00:00:00Z' },
    { keyId: 'p-never', displayName: 'no end', endDateTime: null },
  ],
  keyCredentials: [{ keyId: 'c-1', endDateTime: '2027-01-01T00:00:00Z', usage: 'Verify', customKeyIdentifier: 'AB' }],
};

describe('toDirectoryChange', () => {
  it('gives every object that holds no credential with an end one shared empty list, which cannot be written to', () => {
    const listsOf = (item: Parameters<typeof toDirectoryChange>[0]) => {
      const change = toDirectoryChange(item, 'servicePrincipals');
      const object = change !== undefined && change !== 'partial' && change.kind === 'present' ? change.object : undefined;
      return [object?.passwordCredentials, object?.keyCredentials];
    };
    const [password, key] = listsOf({ id: 'sp-1', appId: 'app-2', passwordCredentials: [], keyCredentials: [] });
    const noEnd = listsOf({
      id: 'sp-2',
      appId: 'app-3',
      passwordCredentials: [{ keyId: 'p-never', endDateTime: null }],
      keyCredentials: [],
    });
    expect([password, key]).toEqual([[], []]);
    expect(Object.isFrozen(password)).toBe(true);
    expect(key).toBe(password);
    expect(noEnd[0]).toBe(password);
    expect(noEnd[1]).toBe(password);
  });

  it('keeps each credential with an end, in order, with what Graph left out as null', () => {
    const change = toDirectoryChange(item, 'applications');
    expect(change).toEqual({
      kind: 'present',
      object: {
        kind: 'application',
        id: 'obj-1',
        appId: 'app-1',
        displayName: 'Payroll',
        createdDateTime: '2024-01-01T00:00:00Z',
        passwordCredentials: [
          {
            keyId: 'p-1',
            displayName: 'prod',
            startDateTime: '2025-01-01T00:00:00Z',
            endDateTime: '2026-01-01T00:00:00Z',
            usage: undefined,
            customKeyIdentifier: null,
          },
        ],
        keyCredentials: [
          {
            keyId: 'c-1',
            displayName: null,
            startDateTime: null,
            endDateTime: '2027-01-01T00:00:00Z',
            usage: 'Verify',
            customKeyIdentifier: 'AB',
          },
        ],
        preferredSingleSignOnMode: null,
        preferredTokenSigningKeyEndDateTime: null,
      },
    });
  });
});

describe('toDirectoryPage', () => {
  it('takes a page whose items have the selected shape and refuses one with a property of the wrong type', () => {
    expect(toDirectoryPage({ value: [item], '@odata.nextLink': 'https://graph/next' })?.value).toHaveLength(1);
    expect(toDirectoryPage({ value: [item, { ...item, preferredSingleSignOnMode: 7 }] })).toBeUndefined();
    expect(toDirectoryPage({ value: [{ ...item, passwordCredentials: [{ keyId: 'p', endDateTime: 5 }] }] })).toBeUndefined();
  });
});
