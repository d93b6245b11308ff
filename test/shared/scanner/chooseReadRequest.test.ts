import { describe, expect, it } from 'vitest';
import { chooseReadRequest } from '../../../shared/scanner/chooseReadRequest.js';
import { NOW, policy } from './scannerFixtures.js';

const links = {
  applications: 'https://g/v1.0/applications/delta?$deltatoken=a',
  servicePrincipals: 'https://g/v1.0/servicePrincipals/delta?$deltatoken=s',
};
const hoursAgo = (h: number) => NOW.minus({ hours: h }).toISO()!;

describe('chooseReadRequest', () => {
  it.each([
    ['no delta links yet', { tenantId: 't' }, { mode: 'initial' }],
    ['links but never a full read', { tenantId: 't', deltaLinks: links }, { mode: 'full' }],
    ['a full read 2 hours ago', { tenantId: 't', deltaLinks: links, lastFullScanAt: hoursAgo(2) }, { mode: 'delta', links }],
    [
      'a full read 23 h 55 min ago (timer drift)',
      { tenantId: 't', deltaLinks: links, lastFullScanAt: NOW.minus({ hours: 23, minutes: 55 }).toISO()! },
      { mode: 'full' },
    ],
    ['a full read 25 hours ago', { tenantId: 't', deltaLinks: links, lastFullScanAt: hoursAgo(25) }, { mode: 'full' }],
  ])('%s', (_name, state, expected) => expect(chooseReadRequest(state, policy, NOW)).toEqual(expected));
});
