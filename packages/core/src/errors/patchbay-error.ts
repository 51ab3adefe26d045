/** Base class of every error Patchbay throws on purpose; `code` is stable and safe to switch on. */
export abstract class PatchbayError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
