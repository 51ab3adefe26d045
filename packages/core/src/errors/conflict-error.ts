import { PatchbayError } from './patchbay-error.js';

/**
 * A write was refused because the live value moved since it was observed (a console edit, another
 * tool). Patchbay never retries a conflict with the user's value: it reports it.
 */
export class ConflictError extends PatchbayError {
  readonly code = 'CONFLICT';

  constructor(
    readonly resource: string,
    readonly attribute: string | undefined,
    readonly expected: unknown,
    readonly actual: unknown,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(
      `${resource}${attribute ? `.${attribute}` : ''} changed outside Patchbay since it was observed` +
        (options?.reason ? ` (${options.reason})` : '') +
        '; re-plan to see the new value, or force the attribute to overwrite it',
      options,
    );
  }
}
