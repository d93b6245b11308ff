import type { Command } from './Command.js';
import type { CommandContext } from './commands/CommandContext.js';
import { runConnections } from './commands/runConnections.js';
import { runFindings } from './commands/runFindings.js';
import { runRefresh } from './commands/runRefresh.js';
import { runRotate, runRotation } from './commands/runRotate.js';
import { runScan } from './commands/runScan.js';
import { runSnooze, runUnsnooze } from './commands/runSnooze.js';
import { runStatus } from './commands/runStatus.js';

/** Runs one command; the exit code says how it went. */
export function runCommand(command: Command, ctx: CommandContext): Promise<number> {
  switch (command.kind) {
    case 'findings':
      return runFindings(command, ctx);
    case 'connections':
      return runConnections(ctx);
    case 'scan':
      return runScan(command, ctx);
    case 'refresh':
      return runRefresh(command, ctx);
    case 'rotate':
      return runRotate(command, ctx);
    case 'rotation':
      return runRotation(command, ctx);
    case 'snooze':
      return runSnooze(command, ctx);
    case 'unsnooze':
      return runUnsnooze(command, ctx);
    case 'status':
      return runStatus(ctx);
  }
}
