import type { SandboxApiFactory } from '../core/sandbox-api.js';
import { awsApis } from './aws/index.js';

/**
 * Every built-in API, in routing order (the first whose `matches` accepts a request handles it).
 * Each cloud folder exports its list; add yours here with one import and one spread.
 */
export const builtinApis: readonly SandboxApiFactory[] = [...awsApis];
