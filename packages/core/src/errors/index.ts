export { ConflictError } from './conflict-error.js';
export { PatchbayError } from './patchbay-error.js';
export { PermissionError } from './permission-error.js';
export { type ErrorClass, ProviderError } from './provider-error.js';
export { StateError, type StateErrorReason } from './state-error.js';
export { formatPath, ValidationError, type ValidationIssue } from './validation-error.js';
