import { ApiException } from '@kubernetes/client-node';
import { ConflictError, type ErrorClass, PatchbayError, ProviderError } from '@patchbay/core';

/** The parts of a Kubernetes `Status` object (the body of every API error) that Patchbay reads. */
export interface K8sStatus {
  code?: number;
  /** `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `TooManyRequests`… */
  reason?: string;
  message?: string;
}

// Node network error codes: the request never got an answer, so a retry may succeed.
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** HTTP status of a client-node error (`ApiException.code`), if it carries one. */
export function k8sStatusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The `Status` object of an API error: client-node keeps the body as JSON text (or parsed, by version). */
export function k8sStatus(error: unknown): K8sStatus | undefined {
  if (typeof error !== 'object' || error === null || !('body' in error)) return undefined;
  const body = (error as { body: unknown }).body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const status = parsed as Record<string, unknown>;
  return {
    code: typeof status.code === 'number' ? status.code : undefined,
    reason: typeof status.reason === 'string' ? status.reason : undefined,
    message: typeof status.message === 'string' ? status.message : undefined,
  };
}

/**
 * Classify any error a Kubernetes call threw, for the engine's retry policy: 429 throttled, 5xx and
 * network failures transient, 409 conflict, 404 not found, anything else (400, 403, 422…) fatal.
 */
export function classifyK8sError(error: unknown): ErrorClass {
  if (error instanceof ProviderError) return error.kind;
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof PatchbayError) return 'fatal';
  const status = k8sStatusCode(error);
  if (status === 429) return 'throttled';
  if (status === 409) return 'conflict';
  if (status === 404) return 'not-found';
  if (status !== undefined && status >= 500) return 'transient';
  if (status !== undefined) return 'fatal';
  const code = networkCode(error);
  if (code && NETWORK.has(code)) return 'transient';
  // node-fetch reports every socket-level failure as a FetchError of type `system`.
  if ((error as { type?: unknown } | null)?.type === 'system') return 'transient';
  return 'fatal';
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  // The code may sit on the error or on its cause (undici, node-fetch wrap socket errors).
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const { code, errno, cause } = current as { code?: unknown; errno?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (typeof errno === 'string') return errno;
    current = cause;
  }
  return undefined;
}

/**
 * Wrap a client-node error in a ProviderError of the right kind. The message is the API's own `Status`
 * message (it names the invalid fields); the request body is never echoed, so no value leaks.
 */
export function toProviderError(error: unknown, operation: string, resource?: string): PatchbayError {
  if (error instanceof PatchbayError) return error;
  const status = k8sStatus(error);
  const code = k8sStatusCode(error);
  const message =
    status?.message !== undefined
      ? `${code ?? ''} ${status.reason ?? ''}: ${status.message}`.trim()
      : code !== undefined
        ? `HTTP ${code}`
        : error instanceof Error
          ? error.message
          : String(error);
  return new ProviderError('k8s', operation, classifyK8sError(error), message, { cause: error, resource });
}
