export {
  bindingEnvVars,
  type DatabaseBinding,
  type DatabaseCredentialsForm,
  databaseEnvPrefix,
} from './database-binding.js';
export { databaseUrl } from './database-url.js';
export { readRuntimeConfig } from './read-runtime-config.js';
export { type RuntimeConfig, runtimeConfigEnvVar } from './runtime-config.js';
export { isLocal, type ServiceLocator, serviceLocator, urlOf } from './service-locator.js';
