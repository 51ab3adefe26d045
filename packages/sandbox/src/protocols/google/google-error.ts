import { ApiError } from '../../core/api-error.js';
import type { SandboxResponse } from '../../core/sandbox-request.js';

/** HTTP status of each canonical Google RPC status, as Google's REST surface maps them. */
const HTTP_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** A `google.rpc.ErrorInfo` detail, which the Google clients surface as `error.reason` / `error.domain`. */
export function errorInfo(reason: string, domain: string, metadata: Record<string, string> = {}): object {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata };
}

/**
 * A Google API error with a canonical status (`NOT_FOUND`, `ABORTED`, …), rendered as
 * `{error: {code, message, status, details}}`.
 */
export function googleError(
  status: keyof typeof HTTP_STATUS,
  message: string,
  details: object[] = [],
): ApiError {
  return new ApiError(HTTP_STATUS[status] ?? 500, status, message, details.length > 0 ? { details } : {});
}

/**
 * An error in the older "apiary" shape some v1 APIs (Cloud SQL Admin) still answer with:
 * `{error: {code, message, errors: [{message, domain, reason}]}}`, without `status`. The Google
 * clients then derive the RPC code from the HTTP status (404 → NOT_FOUND, 409 → ABORTED,
 * 412 → FAILED_PRECONDITION, 429 → RESOURCE_EXHAUSTED).
 */
export function legacyGoogleError(
  httpStatus: number,
  reason: string,
  message: string,
  location?: string,
): ApiError {
  const entry: Record<string, string> = { message, domain: 'global', reason };
  if (location) Object.assign(entry, { location, locationType: 'header' });
  return new ApiError(httpStatus, reason, message, { errors: [entry] });
}

/** The 429 every Google API answers when a per-minute quota runs out (ErrorInfo RATE_LIMIT_EXCEEDED). */
export function quotaExceeded(service: string, metric: string, limit: string): ApiError {
  const message = `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service '${service}' for consumer 'project_number:0'.`;
  return googleError('RESOURCE_EXHAUSTED', message, [
    errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
      service,
      quota_metric: `${service}/${metric.toLowerCase().replaceAll(' ', '_')}`,
      quota_limit: limit,
      consumer: 'projects/0',
    }),
  ]);
}

/** The 503 Google front ends answer when a backend is briefly unavailable (clients retry reads on it). */
export function serviceUnavailable(): ApiError {
  return googleError('UNAVAILABLE', 'The service is currently unavailable.');
}

/** Renders an ApiError in Google's JSON error shape (canonical or legacy, see above). */
export function googleErrorResponse(error: ApiError): SandboxResponse {
  const body: Record<string, unknown> = { code: error.status, message: error.message };
  if (Array.isArray(error.extra.errors)) body.errors = error.extra.errors;
  else body.status = error.code;
  if (Array.isArray(error.extra.details)) body.details = error.extra.details;
  return {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: { error: body },
  };
}
