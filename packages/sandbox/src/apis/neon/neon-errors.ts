import { ApiError } from '../../core/api-error.js';

/**
 * Neon's errors: `{ code, message }` with the HTTP status carrying the category. The spec types
 * `code` as a free string; the codes below are the sandbox's (see docs/neon.md).
 */
export const neonError = {
  unauthorized: () =>
    new ApiError(401, 'UNAUTHORIZED', 'authentication required: send Authorization: Bearer <api key>'),
  notFound: (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`),
  invalid: (message: string) => new ApiError(400, 'BAD_REQUEST', message),
  conflict: (message: string) => new ApiError(409, 'CONFLICT', message),
  unprocessable: (message: string) => new ApiError(422, 'UNPROCESSABLE_ENTITY', message),
  precondition: (message: string) => new ApiError(412, 'PRECONDITION_FAILED', message),
  locked: () =>
    new ApiError(
      423,
      'LOCKED',
      'project already has running conflicting operations, scheduling of new ones is prohibited',
    ),
  notImplemented: (operationId: string) =>
    new ApiError(501, 'NOT_IMPLEMENTED', `the sandbox does not implement Neon ${operationId}`),
  throttled: () => new ApiError(429, 'TOO_MANY_REQUESTS', 'rate limit exceeded, retry later'),
  server: () => new ApiError(503, 'SERVICE_UNAVAILABLE', 'service temporarily unavailable, retry later'),
};
