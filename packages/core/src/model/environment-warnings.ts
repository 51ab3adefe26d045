import type { Environment } from './environment-schema.js';

/** Valid but questionable choices, for the caller to show. */
export function environmentWarnings(env: Environment): string[] {
  const warnings: string[] = [];
  if (env.allocation.strategy === 'per-service' && env.type !== 'production')
    warnings.push(
      `allocation.strategy: per-service in a ${env.type} environment runs one process per service; ` +
        `single or auto usually costs less outside production`,
    );
  if (env.compute.kind === 'cloud-run' && env.cloud.provider === 'gcp' && !env.cloud.projectNumber)
    warnings.push(
      'cloud.projectNumber is not set: Cloud Run URLs of remote services contain the placeholder ' +
        '"{projectNumber}" until the provider resolves it',
    );
  if (
    env.type === 'production' &&
    env.database &&
    'availability' in env.database &&
    env.database.availability === 'zonal'
  )
    warnings.push('database.availability: zonal in production has no standby in another zone');
  return warnings;
}
