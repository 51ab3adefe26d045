import { ConflictError, type ErrorClass, PatchbayError, ProviderError } from '@patchbay/core';

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** What Patchbay keeps of a failed Neon call: never the request (its headers hold the API key). */
export interface NeonErrorDetail {
  status?: number;
  /** Neon's error code (`LOCKED`, `BAD_REQUEST`…) or the network error code. */
  code?: string;
  /** Neon's message, which never echoes request values. */
  message: string;
  requestId?: string;
}

/** Status, code and message of an axios error from `@neondatabase/api-client`, or of any error. */
export function neonErrorDetail(error: unknown): NeonErrorDetail {
  const e = error as {
    response?: { status?: number; data?: { code?: unknown; message?: unknown; request_id?: unknown } };
    code?: unknown;
    message?: unknown;
  };
  const data = e?.response?.data;
  const status = typeof e?.response?.status === 'number' ? e.response.status : undefined;
  const code = typeof data?.code === 'string' ? data.code : typeof e?.code === 'string' ? e.code : undefined;
  const message =
    typeof data?.message === 'string'
      ? data.message
      : status !== undefined
        ? `HTTP ${status}`
        : typeof e?.message === 'string'
          ? e.message
          : String(error);
  return {
    ...(status !== undefined ? { status } : {}),
    ...(code ? { code } : {}),
    message,
    ...(typeof data?.request_id === 'string' ? { requestId: data.request_id } : {}),
  };
}

/**
 * Classify an error from a Neon call for the engine's retry policy: 429 throttled; 423 (an operation is
 * running on the branch or project), 5xx and network errors transient; 404 not found; 409 conflict; any
 * other 4xx fatal (retrying a bad request cannot help).
 */
export function classifyNeonError(error: unknown): ErrorClass {
  if (error instanceof ProviderError) return error.kind;
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof PatchbayError) return 'fatal';
  const { status, code } = neonErrorDetail(error);
  if (status === 429) return 'throttled';
  if (status === 423) return 'transient';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status !== undefined && status >= 500) return 'transient';
  if (status === undefined && code && TRANSIENT_CODES.has(code)) return 'transient';
  return 'fatal';
}

/**
 * A ProviderError of the right kind for a failed Neon call. The axios error is not kept as `cause`: its
 * `config` holds the `Authorization` header (the API key) and the request body (a password, for some
 * calls); `cause` holds only status, code, message and request id.
 */
export function toNeonProviderError(error: unknown, operation: string, resource?: string): PatchbayError {
  if (error instanceof PatchbayError) return error;
  const detail = neonErrorDetail(error);
  const prefix = detail.status !== undefined ? `${detail.status} ${detail.code ?? ''}`.trim() : detail.code;
  return new ProviderError(
    'neon',
    operation,
    classifyNeonError(error),
    prefix ? `${prefix}: ${detail.message}` : detail.message,
    { cause: detail, resource },
  );
}
