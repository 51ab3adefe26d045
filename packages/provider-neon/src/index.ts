/** @module @patchbay/provider-neon — Patchbay provider for Neon serverless Postgres: project, branch, endpoint, role, database. */
export { classifyNeonError, type NeonErrorDetail, neonErrorDetail } from './classify-neon-error.js';
export { DEFAULT_SUSPEND_TIMEOUT_SECONDS, NEON_COMPUTE_UNITS } from './neon-endpoint.js';
export { BRANCH_ANNOTATIONS } from './neon-locator.js';
export { NEON_API_URL, type NeonOptions, neon } from './neon-provider.js';
export type { NeonRoleCoordinates, RolePasswordStore } from './role-password-store.js';
