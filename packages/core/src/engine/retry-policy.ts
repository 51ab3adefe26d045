import { ConflictError } from '../errors/conflict-error.js';
import { type ErrorClass, ProviderError } from '../errors/provider-error.js';
import type { Provider, ResourceType } from '../provider/provider.js';

/** Retry of throttled and transient provider errors, with full-jitter exponential backoff. */
export interface RetryOptions {
  /** Attempts in total, the first included. @default 6 */
  attempts?: number;
  /** Base delay of the exponential backoff. @default 200 */
  baseDelayMs?: number;
  /** Cap of one delay. @default 20_000 */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 6, baseDelayMs: 200, maxDelayMs: 20_000 };

/** Full jitter: a uniformly random delay in [0, min(max, base·2^attempt)). */
export function backoffDelay(retry: Required<RetryOptions>, attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt));
}

/** How the engine treats an error: Patchbay's own errors first, then the type's and provider's classifiers. */
export function classifyError(
  error: unknown,
  type: ResourceType | undefined,
  provider: Provider | undefined,
): ErrorClass {
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof ProviderError) return error.kind;
  try {
    return type?.classifyError?.(error) ?? provider?.classifyError?.(error) ?? 'fatal';
  } catch {
    return 'fatal';
  }
}
