/** @module @patchbay/provider-gcp — Patchbay provider for Google Cloud: Cloud Run (v2), Cloud SQL, GKE. */
export { classifyGcpError, googleErrorInfo } from './classify-gcp-error.js';
export { OWNERSHIP_LABEL_KEYS, ownershipLabels, RESERVED_LABEL_PREFIXES } from './gcp-labels.js';
export { type GcpOptions, gcp } from './gcp-provider.js';
