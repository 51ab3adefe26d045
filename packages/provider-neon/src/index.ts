/** @module @patchbay/provider-neon */
export {};
