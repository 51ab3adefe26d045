import type { Environment } from '../model/index.js';
import { type DesiredValue, outputRef } from './resource-spec.js';

/** Kubernetes Secret (in the workloads' namespace) holding a database's credentials: `patchbay-db-<database>`. */
export function kubernetesCredentialsSecret(database: string): string {
  return `patchbay-db-${database}`;
}

/**
 * Secret Manager secret holding a database's password on Cloud Run: `<env>-<database>-db-password` (Cloud
 * SQL's `postgres` user) or `<env>-neon-password` (Neon's `app` role, shared by its databases).
 */
export function gcpPasswordSecret(env: Environment, database: string): string {
  return env.database?.kind === 'neon' ? `${env.name}-neon-password` : `${env.name}-${database}-db-password`;
}

/**
 * Where the compute platform reads a database's credentials from: a reference, never a value.
 * - fargate: a Secrets Manager / SSM ARN — the RDS-managed master secret (output `masterUserSecretArn`), or
 *   Neon's `database.passwordSecretArn`.
 * - cloud-run: `projects/<project>/secrets/<gcpPasswordSecret>/versions/latest`.
 * - kubernetes: `{ secret: 'patchbay-db-<database>', key }`, key `credentials` (RDS JSON) or `password`.
 * Patchbay creates none of the non-RDS secrets: it would have to hold the value (see docs/engine.md).
 */
export function credentialsReference(env: Environment, database: string): DesiredValue | undefined {
  const db = env.database;
  if (db === undefined) return undefined;
  switch (env.compute.kind) {
    case 'fargate':
      if (db.kind === 'rds') return outputRef(`db/${database}`, 'masterUserSecretArn');
      return db.kind === 'neon' ? db.passwordSecretArn : undefined;
    case 'cloud-run':
      return env.cloud.provider === 'gcp'
        ? `projects/${env.cloud.project}/secrets/${gcpPasswordSecret(env, database)}/versions/latest`
        : undefined;
    case 'kubernetes':
      return {
        secret: kubernetesCredentialsSecret(database),
        key: db.kind === 'rds' ? 'credentials' : 'password',
      };
  }
}
