/** What `fetch` throws when it gets no answer: `TypeError: fetch failed` (cause: the socket error), or a timeout. */
export function isNetworkError(error: unknown): error is Error {
  return isFetchFailure(error) || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

/** What `fetch` throws when its connection failed: `TypeError: fetch failed`, the socket's error as its cause. */
export function isFetchFailure(error: unknown): error is Error {
  return error instanceof Error && error.name === 'TypeError' && error.message === 'fetch failed';
}
