/** Throttling, server trouble or no answer at all: worth trying again later. */
export function isTransientStatus(statusCode: number | undefined): boolean {
  return statusCode === undefined || statusCode <= 0 || statusCode === 408 || statusCode === 429 || statusCode >= 500;
}

export const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};
