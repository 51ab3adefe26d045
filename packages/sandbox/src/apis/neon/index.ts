import type { SandboxApiFactory } from '../../core/sandbox-api.js';
import { neonApi } from './neon-api.js';

/** The Neon API v2, routed by the /api/v2 path prefix. */
export const neonApis: readonly SandboxApiFactory[] = [neonApi];
