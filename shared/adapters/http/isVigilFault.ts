import { programmingErrors } from '../../helpers/programmingErrors.js';

/**
 * Whether a Graph client's error (status -1: no answer) is a request Vigil could not make: a fault in Vigil or
 * its settings (a login or Graph host that makes no URL), not an outage, so never retried as one. The Graph
 * client names the error it wraps in `code`; one thrown past it (Node's, `code` ERR_INVALID_URL) by its `name`.
 */
export function isVigilFault(error: unknown): boolean {
  const e = (error ?? {}) as { statusCode?: unknown; code?: unknown; name?: unknown };
  const unanswered = typeof e.statusCode !== 'number' || e.statusCode === -1;
  return unanswered && [e.code, e.name].some((label) => typeof label === 'string' && programmingErrors.has(label));
}
