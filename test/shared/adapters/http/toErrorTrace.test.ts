import { describe, expect, it } from 'vitest';
import { isVigilFault } from '../../../../shared/adapters/http/isVigilFault.js';
import { toErrorTrace } from '../../../../shared/adapters/http/toErrorTrace.js';

describe('toErrorTrace', () => {
  it("keeps a fault's class, Node's code and its stack's frames for the log, never its message", () => {
    const error = Object.assign(new TypeError('Invalid URL: https://login.example/t?client_secret=s3cr3t'), { code: 'ERR_INVALID_URL' });
    expect(isVigilFault(error)).toBe(true);
    const trace = toErrorTrace(error);
    expect(trace).toMatch(/^TypeError \(ERR_INVALID_URL\)\n\s+at .*toErrorTrace\.test/);
    expect(trace).not.toMatch(/login\.example|s3cr3t|Invalid URL/);
  });
});
