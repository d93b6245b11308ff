import { EventEmitter } from 'node:events';
import https from 'node:https';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceScan } from '../../bench/scanTimeline.js';

describe("the scan bench's timeline", () => {
  const requestBefore = https.request;
  afterEach(() => {
    (https as { request: unknown }).request = requestBefore;
  });

  it('wraps node:https once however many scans it traces, each Graph request told to the trace begun last only', () => {
    const sent = new EventEmitter();
    const request = vi.fn(() => sent);
    (https as { request: unknown }).request = request;
    const first = traceScan();
    const second = traceScan();
    https.request('https://graph.microsoft.com/v1.0/applications?$select=id');
    const answer = new EventEmitter();
    sent.emit('response', answer);
    answer.emit('end');
    expect(request).toHaveBeenCalledTimes(1);
    expect(first.report()).toEqual([]);
    expect(second.report()).toEqual([
      expect.stringMatching(/ms {2}Graph \/v1\.0\/applications \(headers\) \(1\)$/),
      expect.stringMatching(/ms {2}Graph \/v1\.0\/applications \(1\)$/),
    ]);
  });
});
