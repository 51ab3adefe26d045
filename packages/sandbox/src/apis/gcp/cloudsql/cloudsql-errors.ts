import { legacyGoogleError, quotaExceeded } from '../../../protocols/google/google-error.js';

/**
 * Cloud SQL Admin v1 errors, in the API's own (apiary) shape `{error: {code, message, errors: [{reason}]}}`.
 * The client derives the RPC code from the HTTP status: 404 → NOT_FOUND, 409 → ABORTED,
 * 412 → FAILED_PRECONDITION, 400 → INVALID_ARGUMENT.
 */
export const sqlError = {
  instanceNotFound: () =>
    legacyGoogleError(404, 'instanceDoesNotExist', 'The Cloud SQL instance does not exist.'),
  operationNotFound: () =>
    legacyGoogleError(404, 'operationDoesNotExist', 'The Cloud SQL operation does not exist.'),
  alreadyExists: () =>
    legacyGoogleError(409, 'instanceAlreadyExists', 'The Cloud SQL instance already exists.'),
  operationInProgress: () =>
    legacyGoogleError(
      409,
      'operationInProgress',
      'Operation failed because another operation was already in progress. Try your request after the current operation is complete.',
    ),
  staleData: () => legacyGoogleError(412, 'staleData', 'Condition does not match.', 'If-Match'),
  invalid: (message: string) => legacyGoogleError(400, 'invalid', `Invalid request: ${message}`),
  unimplemented: (message: string) => legacyGoogleError(501, 'notImplemented', message),
  throttled: () => quotaExceeded('sqladmin.googleapis.com', 'Queries', 'Queries per minute per user'),
  unavailable: () => legacyGoogleError(503, 'backendError', 'The service is currently unavailable.'),
};
