import { describe, expect, it } from 'vitest';
import { isVigilFault } from '../../../../shared/adapters/http/isVigilFault.js';
import { errorTraceKey, toErrorTrace } from '../../../../shared/adapters/http/toErrorTrace.js';

describe('toErrorTrace', () => {
  it("keeps a fault's class, Node's code and its stack's frames for the log, never its message", () => {
    const error = Object.assign(new TypeError('Invalid URL: https://login.example/t?client_secret=s3cr3t'), { code: 'ERR_INVALID_URL' });
    expect(isVigilFault(error)).toBe(true);
    const trace = toErrorTrace(error);
    expect(trace).toMatch(/^TypeError \(ERR_INVALID_URL\)\n\s+at .*toErrorTrace\.test/);
    expect(trace).not.toMatch(/login\.example|s3cr3t|Invalid URL/);
  });

  it('keys a trace by a hash, never by text of the stack, which holds the message', () => {
    const at = (url: string) => Object.assign(new TypeError(`Invalid URL: ${url}`), { code: 'ERR_INVALID_URL' });
    // Made at one place, the two have one stack's frames, so one trace: the key tells traces apart, not messages.
    const [one, other] = ['https://login.example/t?client_secret=s3cr3t', 'https://login.example/u'].map(at);
    expect(errorTraceKey(one!)).toBe(errorTraceKey(other!));
    expect(errorTraceKey(one!)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(errorTraceKey(one!)).not.toBe(errorTraceKey(new RangeError('Invalid URL')));
  });
});
