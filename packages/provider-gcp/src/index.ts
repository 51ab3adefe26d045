/** @module @patchbay/provider-gcp */
export {};
