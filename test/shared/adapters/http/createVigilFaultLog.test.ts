import { describe, expect, it } from 'vitest';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';

/** A TypeError thrown at its own line, so each has a trace of its own, with a URL in its message the log must not show. */
const faultsAtDistinctLines = (): TypeError[] => [
  new TypeError('Invalid URL: https://graph.example/one'),
  new TypeError('Invalid URL: https://graph.example/two'),
];

/** Each error gets a stack of its own: a made-up frame naming its number. */
const distinctFaults = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => Object.assign(new TypeError('x'), { stack: `TypeError: x\n    at site${from + i} (a.js:1:1)` }));

const HOUR = 60 * 60 * 1000;
const START = Date.parse('2026-12-06T01:00:00.000Z');

/** A log on a clock the test moves, and the lines it wrote. */
const onClock = () => {
  const lines: string[] = [];
  const clock = { ms: START };
  const log = createVigilFaultLog(
    (line) => lines.push(line),
    () => clock.ms,
  );
  return { lines, clock, log };
};

describe('createVigilFaultLog', () => {
  it('logs each distinct trace once within the hour, saying how often it is logged, and never a message', () => {
    const { lines, log } = onClock();
    const [one, two] = faultsAtDistinctLines();
    for (let i = 0; i < 3; i += 1) log(one, 'Graph request');
    log(two, 'Graph request');
    log(one, 'Token request');

    expect(lines).toEqual([
      expect.stringMatching(
        /^Graph request Vigil could not make \(vigilFault\): TypeError\n\s+at .*\n\(further requests failing with this trace are logged at most once an hour\)$/s,
      ),
      expect.stringMatching(/^Graph request Vigil could not make/),
      expect.stringMatching(/^Token request Vigil could not make/),
    ]);
    expect(lines.join('\n')).not.toContain('graph.example');
  });

  it('logs a trace again once its hour is over, with how many requests met it since, so a standing fault stays in the log', () => {
    const { lines, clock, log } = onClock();
    const [fault] = distinctFaults(1);
    log(fault, 'Graph request');
    clock.ms += 10 * 60 * 1000;
    log(fault, 'Graph request');
    log(fault, 'Graph request');
    clock.ms = START + HOUR - 1;
    log(fault, 'Graph request');
    expect(lines).toHaveLength(1);

    clock.ms = START + HOUR;
    log(fault, 'Graph request');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Graph request Vigil could not make \(vigilFault\): TypeError\n\s+at site0 /);
    expect(lines[1]).toContain('\n(3 more since 2026-12-06T01:00:00.000Z, not logged)\n');
  });

  it('stops at 20 distinct traces in an hour, saying so once, and logs a new one in the next hour', () => {
    const { lines, clock, log } = onClock();
    const faults = distinctFaults(25);
    for (const fault of [...faults, ...faults]) log(fault, 'Graph request');

    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe(
      'Requests Vigil could not make (vigilFault) showed 20 distinct traces since 2026-12-06T01:00:00.000Z: ' +
        'no further ones are logged before 2026-12-06T02:00:00.000Z',
    );

    clock.ms = START + HOUR;
    const [fresh] = distinctFaults(1, 100);
    log(fresh, 'Graph request');
    expect(lines).toHaveLength(22);
    expect(lines[21]).toMatch(/^Graph request Vigil could not make \(vigilFault\): TypeError\n\s+at site100 /);
  });
});
