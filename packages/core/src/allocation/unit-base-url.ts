import type { Environment } from '../model/index.js';

/** Port a process listens on when none of its services declares one. */
export const DEFAULT_PORT = 8080;

/** Kubernetes namespace of an environment's workloads (the schema fills it in; the env name otherwise). */
export function namespaceOf(env: Environment): string {
  return env.compute.kind === 'kubernetes' ? (env.compute.cluster.namespace ?? env.name) : env.name;
}

/** Cloud resource name of a unit's process: `<env>-<unit>` (at most 18 + 1 + 30 = 49 characters). */
export function unitResourceName(env: Pick<Environment, 'name'>, unit: string): string {
  return `${env.name}-${unit}`;
}

/**
 * The base URL at which other processes reach `unit`, deterministic per compute kind so runtime configs
 * can be computed before anything exists:
 * - kubernetes: `http://<unit>.<namespace>.svc.cluster.local:<port>` (a ClusterIP Service per unit)
 * - fargate: `http://<unit>.<env>.local:<port>` (ECS service discovery in the private DNS namespace `<env>.local`)
 * - cloud-run: `https://<env>-<unit>-<projectNumber>.<region>.run.app` (Cloud Run's deterministic URL;
 *   `{projectNumber}` stays a placeholder when the environment does not give the project number)
 */
export function unitBaseUrl(env: Environment, unit: string, port: number = DEFAULT_PORT): string {
  switch (env.compute.kind) {
    case 'kubernetes':
      return `http://${unit}.${namespaceOf(env)}.svc.cluster.local:${port}`;
    case 'fargate':
      return `http://${unit}.${env.name}.local:${port}`;
    case 'cloud-run': {
      const cloud = env.cloud;
      const projectNumber =
        cloud.provider === 'gcp' ? (cloud.projectNumber ?? '{projectNumber}') : '{projectNumber}';
      return `https://${unitResourceName(env, unit)}-${projectNumber}.${cloud.region}.run.app`;
    }
  }
}
