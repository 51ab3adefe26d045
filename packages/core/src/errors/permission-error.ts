import { PatchbayError } from './patchbay-error.js';

/**
 * An actor was refused a workflow permission in an environment: no grant gives it, or a rule such as
 * four-eyes (an author cannot approve their own change request) forbids it. The refusal is audited.
 */
export class PermissionError extends PatchbayError {
  readonly code = 'PERMISSION';

  constructor(
    readonly actor: string,
    readonly permission: string,
    readonly environment: string,
    /** Why, when it is not simply a missing grant (e.g. `four-eyes`). */
    readonly reason?: string,
  ) {
    super(
      `${actor} is not allowed ${permission} in environment ${environment}: ` +
        (reason ?? `no grant gives ${permission} there; ask an admin for a role that includes it`),
    );
  }
}
