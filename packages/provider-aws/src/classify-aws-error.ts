import { ConflictError, type ErrorClass, PatchbayError, ProviderError } from '@patchbay/core';

// Error codes as the SDKs report them in `error.name` (RDS query errors also appear without `Fault`).
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);

const TRANSIENT = new Set([
  // RDS: the instance is busy (modifying, backing up, rebooting…): wait and retry.
  'InvalidDBInstanceState',
  'InvalidDBClusterState',
  'SnapshotQuotaExceeded',
  // EKS: another update or operation is in progress on the cluster / node group.
  'ResourceInUseException',
  // ECS: a deployment or another update on the service is in progress.
  'UpdateInProgressException',
  'ServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

const NOT_FOUND = new Set([
  'DBInstanceNotFound',
  'DBSnapshotNotFound',
  'ResourceNotFoundException',
  'NotFoundException',
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'TargetNotFoundException',
]);

const CONFLICT = new Set(['DBInstanceAlreadyExists', 'ResourceAlreadyExistsException', 'ConflictException']);

/** The AWS error code of an SDK error (`ThrottlingException`, `DBInstanceNotFound`…), if any. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; code?: unknown; Code?: unknown };
  const raw =
    typeof e.Code === 'string'
      ? e.Code
      : typeof e.code === 'string'
        ? e.code
        : typeof e.name === 'string' && e.name !== 'Error'
          ? e.name
          : undefined;
  return raw?.endsWith('Fault') ? raw.slice(0, -'Fault'.length) : raw;
}

/**
 * Classify any error an AWS call threw, for the engine's retry policy: throttling, a busy resource
 * (transient), not found, conflict, or fatal (bad request, access denied: retrying cannot help).
 */
export function classifyAwsError(error: unknown): ErrorClass {
  if (error instanceof ProviderError) return error.kind;
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof PatchbayError) return 'fatal';
  const code = awsErrorCode(error);
  if (code && THROTTLED.has(code)) return 'throttled';
  if (code && NOT_FOUND.has(code)) return 'not-found';
  if (code && CONFLICT.has(code)) return 'conflict';
  if (code && TRANSIENT.has(code)) return 'transient';
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } })
    ?.$metadata;
  const retryable = (error as { $retryable?: { throttling?: boolean } })?.$retryable;
  if (retryable?.throttling) return 'throttled';
  const status = meta?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status === 404) return 'not-found';
  if (status !== undefined && status >= 500) return 'transient';
  if (retryable) return 'transient';
  return 'fatal';
}

/** Wrap an SDK error in a ProviderError of the right kind, keeping the SDK error (and its code) as `cause`. */
export function toProviderError(error: unknown, operation: string, resource?: string): PatchbayError {
  if (error instanceof PatchbayError) return error;
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    'aws',
    operation,
    classifyAwsError(error),
    code ? `${code}: ${message}` : message,
    {
      cause: error,
      resource,
    },
  );
}
