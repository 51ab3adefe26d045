/**
 * @module @patchbay/sandbox — a local simulated cloud speaking the real AWS, GCP, Kubernetes and Neon wire
 * protocols, with a console for out-of-band edits, fault injection and call counters.
 */

export {
  type KubeconfigForOptions,
  kubeconfigFor,
  type SandboxKubeconfig,
} from './apis/kubernetes/kubeconfig-for.js';
export { builtinApis } from './apis/registry.js';
export { type AwsClientConfig, awsClientConfig } from './aws-client-config.js';
export { SandboxClient } from './console/sandbox-client.js';
export type { ConsoleEntry, SandboxConsole } from './console/sandbox-console.js';
export { ApiError } from './core/api-error.js';
export type { CallCount, Counters } from './core/counters.js';
export type { FaultRule, RateLimit } from './core/fault-rule.js';
export type { DefaultRateLimit, Faults } from './core/faults.js';
export type { Collection, ResourceStore, StoredRecord } from './core/resource-store.js';
export type { ApiConsole, ApiContext, SandboxApi, SandboxApiFactory } from './core/sandbox-api.js';
export type { SandboxEndpoints } from './core/sandbox-endpoints.js';
export type { SandboxRequest, SandboxResponse } from './core/sandbox-request.js';
export { type GoogleClientOptions, googleClientOptions } from './protocols/google/google-client-options.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './start-sandbox.js';
