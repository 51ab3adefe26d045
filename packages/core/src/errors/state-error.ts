import { PatchbayError } from './patchbay-error.js';

/** Why the state store refused: another apply holds the lock, the plan is stale, or a file is unreadable. */
export type StateErrorReason =
  | 'locked'
  | 'stale-plan'
  | 'revision-mismatch'
  | 'corrupt'
  | 'unsupported-version';

export class StateError extends PatchbayError {
  readonly code = 'STATE';

  constructor(
    readonly reason: StateErrorReason,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
