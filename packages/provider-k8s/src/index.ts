/** @module @patchbay/provider-k8s */
export {};
