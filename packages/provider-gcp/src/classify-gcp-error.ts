import { ConflictError, type ErrorClass, PatchbayError, ProviderError } from '@patchbay/core';

/** gRPC status codes, as google-gax reports them in `error.code`. */
const CODE = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** Google's details for a GoogleError: numeric `code`, `reason` from an ErrorInfo detail, message. */
export function googleErrorInfo(error: unknown): {
  code?: number | string;
  reason?: string;
  message: string;
} {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { code?: unknown; reason?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined;
  return {
    ...(code !== undefined ? { code } : {}),
    ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}

/**
 * One operation per resource at a time: GKE answers FAILED_PRECONDITION with ErrorInfo
 * `CLUSTER_ALREADY_HAS_OPERATION`; Cloud SQL answers 409 `operationInProgress`, whose legacy error shape
 * carries no reason the client can read, so its message is matched.
 */
export function isBusyError(error: unknown): boolean {
  const { reason, message } = googleErrorInfo(error);
  return (
    reason === 'CLUSTER_ALREADY_HAS_OPERATION' ||
    reason === 'operationInProgress' ||
    /another operation was already in progress|incompatible operation|operation.+in progress/i.test(message)
  );
}

/**
 * Classify any error a Google client threw, for the engine's retry policy. The Google clients never retry
 * writes nor RESOURCE_EXHAUSTED, so throttling must be `throttled` for the engine to back off and retry.
 */
export function classifyGcpError(error: unknown): ErrorClass {
  if (error instanceof ProviderError) return error.kind;
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof PatchbayError) return 'fatal';
  const { code } = googleErrorInfo(error);
  if (typeof code === 'string') return NETWORK.has(code) ? 'transient' : 'fatal';
  if (code === CODE.RESOURCE_EXHAUSTED || code === 429) return 'throttled';
  if (isBusyError(error)) return 'transient';
  switch (code) {
    case CODE.UNAVAILABLE:
    case CODE.DEADLINE_EXCEEDED:
    case CODE.INTERNAL:
    case CODE.UNKNOWN:
      return 'transient';
    case CODE.ABORTED:
    case CODE.FAILED_PRECONDITION:
    case CODE.ALREADY_EXISTS:
      return 'conflict';
    case CODE.NOT_FOUND:
    case 404:
      return 'not-found';
    default:
      if (typeof code === 'number' && code >= 500 && code < 600) return 'transient';
      return 'fatal';
  }
}

/** Wrap a client error in a ProviderError of the right kind, keeping the client's error as `cause`. */
export function toProviderError(error: unknown, operation: string, resource?: string): PatchbayError {
  if (error instanceof PatchbayError) return error;
  const { code, reason, message } = googleErrorInfo(error);
  const label = [code !== undefined ? `code ${code}` : undefined, reason].filter(Boolean).join(', ');
  return new ProviderError(
    'gcp',
    operation,
    classifyGcpError(error),
    label ? `${message} (${label})` : message,
    {
      cause: error,
      resource,
    },
  );
}

export const isNotFound = (error: unknown): boolean => googleErrorInfo(error).code === CODE.NOT_FOUND;
export const isAlreadyExists = (error: unknown): boolean => {
  const { code, message } = googleErrorInfo(error);
  // Cloud SQL's duplicate answers 409 (ABORTED on the client) "The Cloud SQL instance already exists."
  return code === CODE.ALREADY_EXISTS || (code === CODE.ABORTED && /already exists/i.test(message));
};
/** A refused compare-and-set: stale etag (ABORTED), settingsVersion or labelFingerprint (FAILED_PRECONDITION). */
export const isStaleVersion = (error: unknown): boolean => {
  const { code } = googleErrorInfo(error);
  return (
    (code === CODE.ABORTED || code === CODE.FAILED_PRECONDITION) &&
    !isBusyError(error) &&
    !isAlreadyExists(error)
  );
};
/**
 * A throttled or transient error, which a poll of a long-running operation waits out like a "not yet":
 * re-issuing the write that started the operation (what an engine retry would do) is worse than polling again.
 */
export const isPassingGcpError = (error: unknown): boolean => {
  const kind = classifyGcpError(error);
  return kind === 'throttled' || kind === 'transient';
};
