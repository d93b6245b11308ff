import { describe, expect, it } from 'vitest';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';

/** A TypeError thrown at its own line, so each has a trace of its own, with a URL in its message the log must not show. */
const faultsAtDistinctLines = (): TypeError[] => [
  new TypeError('Invalid URL: https://graph.example/one'),
  new TypeError('Invalid URL: https://graph.example/two'),
];

describe('createVigilFaultLog', () => {
  it('logs each distinct trace once, saying further ones are not logged, and never a message', () => {
    const lines: string[] = [];
    const log = createVigilFaultLog();
    const [one, two] = faultsAtDistinctLines();
    const warn = (line: string) => lines.push(line);
    for (let i = 0; i < 3; i += 1) log(one, 'Graph request', warn);
    log(two, 'Graph request', warn);
    log(one, 'Token request', warn);

    expect(lines).toEqual([
      expect.stringMatching(
        /^Graph request Vigil could not make \(vigilFault\): TypeError\n\s+at .*\n\(further requests failing with this trace/s,
      ),
      expect.stringMatching(/^Graph request Vigil could not make/),
      expect.stringMatching(/^Token request Vigil could not make/),
    ]);
    expect(lines.join('\n')).not.toContain('graph.example');
  });

  it('stops at 20 distinct traces, saying so once: one fault spreading, not 20 to read', () => {
    const lines: string[] = [];
    const log = createVigilFaultLog();
    // Each error gets a stack of its own: a made-up frame naming its number.
    const faults = Array.from({ length: 25 }, (_, i) =>
      Object.assign(new TypeError('x'), { stack: `TypeError: x\n    at site${i} (a.js:1:1)` }),
    );
    for (const fault of [...faults, ...faults]) log(fault, 'Graph request', (line) => lines.push(line));

    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('Requests Vigil could not make (vigilFault) showed 20 distinct traces: further ones are not logged');
  });
});
