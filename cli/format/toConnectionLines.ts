import type { DateTime } from 'luxon';
import type { ConnectionItem } from '../apiSchemas.js';
import { formatTable } from './formatTable.js';

/** `2026-12-16 (12 days)`: when a connection stops if nobody acts, counted from `now`. */
export function toLapse(expectedLapse: string | null, now: DateTime): string {
  if (!expectedLapse) return '—';
  const days = Math.ceil((Date.parse(expectedLapse) - now.toMillis()) / 86_400_000);
  return `${expectedLapse.slice(0, 10)} (${days > 0 ? `${days} days` : 'lapsed'})`;
}

/** Token connections, failing first: status, name, when it stops, and who must do what. */
export function toConnectionLines(connections: readonly ConnectionItem[], now: DateTime): string[] {
  if (connections.length === 0) return ['No token connections.'];
  const rank = (c: ConnectionItem) => (c.status === 'failing' ? 0 : c.status === 'misconfigured' ? 1 : 2);
  const sorted = [...connections].sort((a, b) => rank(a) - rank(b));
  return formatTable(
    [{ header: 'STATUS' }, { header: 'NAME' }, { header: 'STOPS' }, { header: 'VAULT' }, { header: 'NEXT' }],
    sorted.map((c) => [c.status, c.name, toLapse(c.expectedLapse, now), hostOf(c.vaultUrl), toNextStep(c)]),
  );
}

/** The connection's next step, naming who must act unless the step already does. */
export const toNextStep = (c: ConnectionItem): string =>
  c.whoMustAct && !c.nextAction.includes(c.whoMustAct) ? `${c.whoMustAct} must act: ${c.nextAction}` : c.nextAction;

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
