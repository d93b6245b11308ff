import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceScan } from '../../bench/scanTimeline.js';

describe("the scan bench's timeline", () => {
  const fetchBefore = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = fetchBefore;
  });

  it('wraps fetch once however many scans it traces, each request told to the trace begun last only', async () => {
    const sent = vi.fn(() => Promise.resolve(new Response('{}')));
    globalThis.fetch = sent;
    const first = traceScan();
    const second = traceScan();
    await fetch('https://graph.microsoft.com/v1.0/applications');
    expect(sent).toHaveBeenCalledTimes(1);
    expect(first.report()).toEqual([]);
    expect(second.report()).toEqual([expect.stringMatching(/ms {2}Graph \/v1\.0\/applications \(1\)$/)]);
  });
});
