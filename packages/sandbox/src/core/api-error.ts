/**
 * An error an API handler throws to answer with that API's own error shape.
 * The API's `errorResponse` renders it (JSON `__type`, XML `<Error>`, Google `error.status`, k8s `Status`…).
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status to answer with. */
    readonly status: number,
    /** The API's own error code, e.g. `ServiceNotFoundException`, `DBInstanceNotFound`, `FAILED_PRECONDITION`. */
    readonly code: string,
    message: string,
    /** Extra fields some APIs put in the error body (e.g. EKS `clusterName`, Google `details`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
