import type { SandboxApiFactory } from '../core/sandbox-api.js';
import { awsApis } from './aws/index.js';
import { gcpApis } from './gcp/index.js';
import { kubernetesApis } from './kubernetes/index.js';
import { neonApis } from './neon/index.js';

/**
 * Every built-in API, in routing order (the first whose `matches` accepts a request handles it).
 * Each cloud folder exports its list from its index.ts.
 */
export const builtinApis: readonly SandboxApiFactory[] = [
  ...awsApis,
  ...gcpApis,
  ...kubernetesApis,
  ...neonApis,
];
