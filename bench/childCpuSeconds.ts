import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) used so far by this process's child processes whose command line
 * mentions `marker` (e.g. Azurite), read from /proc; undefined where /proc is not available.
 */
export function childCpuSeconds(marker: string): number | undefined {
  try {
    const ticksPerSecond = 100;
    let total = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name: state ppid … utime(14) stime(15), counted from 1.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    }
    return total;
  } catch {
    return undefined;
  }
}
