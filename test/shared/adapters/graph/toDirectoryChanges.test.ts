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
  it('gives an object that holds no credential empty lists that cannot be written to (one shared pair serves every such object)', () => {
    const bare = toDirectoryChange({ id: 'sp-1', appId: 'app-2', passwordCredentials: [], keyCredentials: [] }, 'servicePrincipals');
    const object = bare !== undefined && bare !== 'partial' && bare.kind === 'present' ? bare.object : undefined;
    expect([object?.passwordCredentials, object?.keyCredentials]).toEqual([[], []]);
    expect(Object.isFrozen(object?.passwordCredentials) && Object.isFrozen(object?.keyCredentials)).toBe(true);
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
