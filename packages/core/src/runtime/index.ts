export { readRuntimeConfig } from './read-runtime-config.js';
export { type RuntimeConfig, runtimeConfigEnvVar } from './runtime-config.js';
export { isLocal, type ServiceLocator, serviceLocator, urlOf } from './service-locator.js';
