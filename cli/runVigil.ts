import type { TokenCredential } from '@azure/identity';
import { DateTime } from 'luxon';
import { createCliCredential } from './adapters/createCliCredential.js';
import { createVigilApi } from './adapters/createVigilApi.js';
import { EXIT, type CommandContext } from './commands/CommandContext.js';
import { describeFailure } from './format/describeFailure.js';
import { parseCommand } from './parseCommand.js';
import { runCommand } from './runCommand.js';
import { realSleep } from '../shared/helpers/sleep.js';
import { usage } from './usage.js';

/** Everything the CLI touches outside itself, so a test can run it in-process. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: typeof fetch;
  now?: () => DateTime;
  sleep?: (ms: number) => Promise<void>;
  /** A credential to use instead of the one `--auth` names (tests). */
  credential?: { credential: TokenCredential; description: string };
}

/** `vigil …`: parses the command line, signs in, runs the command; resolves to the exit code. */
export async function runVigil(argv: readonly string[], io: CliIo): Promise<number> {
  const now = io.now ?? (() => DateTime.utc());
  const parsed = parseCommand(argv, io.env, now());
  if (parsed.kind === 'help') {
    io.out(usage);
    return EXIT.ok;
  }
  if (parsed.kind === 'usage') {
    io.err(`vigil: ${parsed.message}`);
    io.err('Run vigil --help for the commands and options.');
    return EXIT.usage;
  }
  const { command, call } = parsed;
  const signIn = io.credential ?? createCliCredential(call.auth, io.env, call.authorityHost, io.err);
  const api = createVigilApi({
    apiUrl: call.apiUrl,
    scope: call.scope,
    credential: signIn.credential,
    credentialDescription: signIn.description,
    functionKey: call.functionKey,
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  const describe: CommandContext['describe'] = (failure) => describeFailure(failure, { credential: signIn.description, scope: call.scope });
  return runCommand(command, {
    api,
    json: call.json,
    intervalSeconds: call.intervalSeconds,
    out: io.out,
    err: io.err,
    now,
    sleep: io.sleep ?? realSleep,
    describe,
    fail(failure) {
      for (const line of describe(failure)) io.err(line);
      return EXIT.failed;
    },
  });
}
