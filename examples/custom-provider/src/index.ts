/** @module @patchbay/example-custom-provider — a feature-flags provider and its sandbox endpoint, as a template for plugin authors. */
export { classifyFlagsError } from './classify-flags-error.js';
export { flagType } from './flag-type.js';
export { flagsApi } from './flags-api.js';
export { FlagsApiError, FlagsClient } from './flags-client.js';
export { type FlagsOptions, flags } from './flags-provider.js';
export type { ValueType, WireFlag } from './flags-wire.js';
