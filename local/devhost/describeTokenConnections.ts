import { toConnectionView } from '../../shared/tokens/toConnectionView.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';

/** The "Token connections" lines of the local summary: name, status, class and what happens next. */
export async function describeTokenConnections(runtime: Runtime): Promise<string[]> {
  const { states, policy } = runtime.tokenKeeper;
  const views = (await states.list()).map((s) => toConnectionView(s, policy)).sort((a, b) => a.name.localeCompare(b.name));
  if (views.length === 0) return ['  (no token connection was refreshed yet)'];
  return views.map((v) => {
    const mark = v.status === 'healthy' ? '✓' : '✗';
    const why = v.status === 'failing' ? ` ${v.failureClass} (${v.lastErrorCode})` : '';
    return `  ${mark} ${v.name} [${v.downstream ?? 'no downstream tag'}]: ${v.status}${why} — next: ${v.nextAction}`;
  });
}
