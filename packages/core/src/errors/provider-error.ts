import { PatchbayError } from './patchbay-error.js';

/** How the engine should treat a failed provider call. */
export type ErrorClass = 'throttled' | 'transient' | 'conflict' | 'not-found' | 'fatal';

/** A provider call failed; `cause` keeps the SDK's own error (with its code) for debugging. */
export class ProviderError extends PatchbayError {
  readonly code = 'PROVIDER';

  constructor(
    readonly provider: string,
    readonly operation: string,
    readonly kind: ErrorClass,
    message: string,
    options?: { cause?: unknown; resource?: string },
  ) {
    super(
      `${provider} ${operation}${options?.resource ? ` on ${options.resource}` : ''} failed: ${message}`,
      options,
    );
    this.resource = options?.resource;
  }

  readonly resource: string | undefined;
}
