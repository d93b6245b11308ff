import { randomUUID } from 'node:crypto';

/** The body Entra's token endpoint sends with every error, with the AADSTS code first in the description. */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

export interface EntraFailure {
  status: 400 | 401;
  body: EntraErrorBody;
}

export function entraError(
  now: Date,
  correlationId: string | undefined,
  failure: { status?: 400 | 401; error: string; code: number; description: string; suberror?: string },
): EntraFailure {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  // Entra's own format: "YYYY-MM-DD HH:MM:SSZ", and the same facts again at the end of the description.
  const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  const body: EntraErrorBody = {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
  };
  if (failure.suberror) body.suberror = failure.suberror;
  return { status: failure.status ?? 400, body };
}
