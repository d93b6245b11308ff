/** What `fetch` throws when it gets no answer: `TypeError: fetch failed` (cause: the socket error), or a timeout. */
export function isNetworkError(error: unknown): boolean {
  return (
    error instanceof Error &&
    ((error.name === 'TypeError' && error.message === 'fetch failed') || error.name === 'TimeoutError' || error.name === 'AbortError')
  );
}

/** The error's name and system code only: a fetch error never needs its message, which may quote the URL. */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = (error as Error & { cause?: { code?: unknown } }).cause;
  const code = cause && typeof cause.code === 'string' ? cause.code : undefined;
  return [error.name, code].filter(Boolean).join(' ');
}
