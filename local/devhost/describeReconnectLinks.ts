import { DateTime } from 'luxon';
import { SIGN_IN_FIXES } from '../../shared/signIn/addReconnectFix.js';
import { offerSignInLink } from '../../shared/signIn/offerSignInLink.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';

/**
 * The "Reconnect by sign-in" lines of the local summary: a fresh link for each failing connection a
 * new sign-in fixes, for a person to open in a browser and complete at the local Entra. When the dev
 * host stops right after the summary (`--once`), no link is made: nothing would be serving it.
 */
export async function describeReconnectLinks(
  runtime: Runtime,
  passwords: Readonly<Record<string, string>>,
  stopping = false,
): Promise<string[]> {
  if (!runtime.signIn) return ['  (sign-in links are off: set VIGIL_PUBLIC_BASE_URL)'];
  const failing = (await runtime.tokenKeeper.states.list()).filter(
    (s) => s.status === 'failing' && s.failureClass && SIGN_IN_FIXES.has(s.failureClass),
  );
  if (failing.length === 0) return ['  (no connection needs a new sign-in)'];
  if (stopping) return failing.map((s) => `  ${s.name}: needs a new sign-in; \`npm start\` (without --once) prints a link to open`);
  const lines: string[] = [];
  for (const state of failing.sort((a, b) => a.name.localeCompare(b.name))) {
    const offer = await offerSignInLink(runtime.signIn.requests, state, 'api', DateTime.utc());
    if (offer.kind === 'none') {
      lines.push(`  ${state.name}: no sign-in link: ${offer.reason}`);
      continue;
    }
    const password = passwords[offer.owner.toLowerCase()];
    lines.push(
      `  ${state.name}: open ${offer.url}`,
      `    and sign in as ${offer.owner}${password ? ` (local password: ${password})` : ''}; the link works once`,
    );
  }
  return lines;
}
