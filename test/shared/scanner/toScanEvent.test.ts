import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toScanFailedEvent } from '../../../shared/scanner/toScanEvent.js';
import { target } from './scannerFixtures.js';

const now = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const failedWith = (code: 'incomplete' | 'vigilFault') => toScanFailedEvent(target, { code, reason: 'a reason' }, now.toISO()!, now);

describe('a tenant Vigil could not check', () => {
  it('sends a fault in Vigil or its settings to its settings and logs, apart from a Graph outage', () => {
    const fault = failedWith('vigilFault');
    const outage = failedWith('incomplete');

    // It fails on every run until someone acts: "nothing, if it passes on the next run" would be wrong.
    expect(fault.fix).toMatch(/^Check Vigil's cloud endpoint settings .*, then Vigil's logs in Application Insights/);
    expect(fault.fix).not.toMatch(/Nothing/);
    expect(fault.dedupeKey).not.toBe(outage.dedupeKey);
  });
});
