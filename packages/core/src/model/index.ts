export {
  type AllocationStrategy,
  type AllocationStrategyInput,
  allocationStrategySchema,
} from './allocation-strategy-schema.js';
export {
  type App,
  type AppDatabase,
  type AppInput,
  appDatabaseSchema,
  appSchema,
  callSchema,
  type Service,
  serviceSchema,
} from './app-schema.js';
export { awsCloudSchema, type Cloud, type CloudInput, cloudSchema, gcpCloudSchema } from './cloud-schema.js';
export {
  type ComputeKind,
  CPU_VALUES,
  type FittedSizing,
  fitSizing,
  sizingProblem,
} from './compute-limits.js';
export {
  type Cluster,
  type Compute,
  type ComputeInput,
  clusterSchema,
  computeSchema,
  existingClusterSchema,
  newEksClusterSchema,
  newGkeClusterSchema,
} from './compute-schema.js';
export {
  type Database,
  type DatabaseInput,
  databaseSchema,
  NEON_CU_VALUES,
  type NeonSource,
  neonSourceSchema,
} from './database-schema.js';
export { type Environment, type EnvironmentInput, environmentSchema } from './environment-schema.js';
export { environmentWarnings } from './environment-warnings.js';
export { parseApp, safeParseApp } from './parse-app.js';
export { parseEnvironment, type SafeParseResult, safeParseEnvironment } from './parse-environment.js';
export { isSecretKey, REDACTED, redactSecrets } from './redact-secrets.js';
export {
  MAX_ENVIRONMENT_NAME_LENGTH,
  MAX_NAME_LENGTH,
  RESOURCE_NAME_PATTERN,
  resourceNameProblem,
} from './resource-name.js';
export { type Sizing, type SizingInput, type SizingOverride, sizingSchema } from './sizing-schema.js';
