import { z } from 'zod';
import { resourceName } from './resource-name.js';
import { patternString, strictObject } from './strict-object.js';

const availability = z.enum(['regional', 'zonal']).default('regional');

/** Amazon RDS for PostgreSQL. */
export const rdsDatabaseSchema = strictObject({
  kind: z.literal('rds'),
  /** @default 'db.t4g.micro' */
  instanceClass: patternString(
    /^db\.[a-z0-9]+\.[a-z0-9]+$/,
    'an RDS instance class such as "db.t4g.micro"',
  ).default('db.t4g.micro'),
  /** Allocated storage in GB. @default 20 */
  storageGb: z.number().int().min(20).max(65536).default(20),
  /** `regional` = Multi-AZ standby, `zonal` = single AZ. @default 'regional' */
  availability,
  /** @default 7 */
  backupRetentionDays: z.number().int().min(0).max(35).default(7),
  /** @default true */
  deletionProtection: z.boolean().default(true),
  /** PostgreSQL major (or major.minor) version. @example '16' */
  engineVersion: patternString(
    /^\d{2}(\.\d{1,2})?$/,
    'a PostgreSQL version such as "16" or "16.4"',
  ).optional(),
});

/**
 * Cloud SQL for PostgreSQL. The `postgres` user's password is yours to set and to store in the secret
 * docs/engine.md "Secrets you create" names.
 */
export const cloudSqlDatabaseSchema = strictObject({
  kind: z.literal('cloud-sql'),
  /** @default 'db-custom-1-3840' */
  tier: patternString(/^db-[a-z0-9-]+$/, 'a Cloud SQL tier such as "db-custom-1-3840"').default(
    'db-custom-1-3840',
  ),
  /** @default 10 */
  storageGb: z.number().int().min(10).max(65536).default(10),
  /** `regional` = high availability, `zonal` = one zone. @default 'regional' */
  availability,
  /** @default true */
  backupsEnabled: z.boolean().default(true),
  /** @default 7 */
  backupRetentionDays: z.number().int().min(1).max(365).default(7),
  /**
   * PostgreSQL major, fixed at creation. Always sent: the Cloud SQL API itself defaults to MySQL.
   * POSTGRES_16 is what the GCP provider created for specs without a version, so instances made before this
   * default existed match it.
   * @default 'POSTGRES_16'
   * @example 'POSTGRES_17'
   */
  databaseVersion: patternString(/^POSTGRES_\d{2}$/, 'a Cloud SQL version such as "POSTGRES_16"').default(
    'POSTGRES_16',
  ),
});

const neonProjectId = patternString(
  /^[a-z0-9]+(-[a-z0-9]+)*$/,
  'a Neon project id such as "still-sun-123456"',
);

/** Where a Neon database comes from. */
export const neonSourceSchema = z.discriminatedUnion('mode', [
  /** A new Neon project for this environment. */
  strictObject({
    mode: z.literal('new-project'),
    region: patternString(
      /^(aws|azure|gcp)-[a-z0-9-]+$/,
      'a Neon region such as "aws-eu-central-1"',
    ).optional(),
  }),
  /** A branch of the database of another Patchbay environment (e.g. previews branch from staging). */
  strictObject({ mode: z.literal('branch-from-environment'), environment: resourceName(18) }),
  /** A branch of an existing Neon project's branch. @default parentBranch: the project's default branch */
  strictObject({
    mode: z.literal('branch-from-project'),
    projectId: neonProjectId,
    parentBranch: z.string().min(1).optional(),
  }),
  /** Take over an existing branch (observed, not deleted by default). */
  strictObject({
    mode: z.literal('import-branch'),
    projectId: neonProjectId,
    branchId: patternString(/^br-[a-z0-9-]+$/, 'a Neon branch id such as "br-cool-bird-123456"'),
  }),
]);

/** Neon compute units: 0.25 steps below 1, whole units above. */
export const NEON_CU_VALUES = [0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16] as const;
const cu = z.number().refine((v) => (NEON_CU_VALUES as readonly number[]).includes(v), {
  message: 'not a Neon compute size',
  params: { allowed: NEON_CU_VALUES },
});

/** Neon serverless Postgres (works on either cloud). */
export const neonDatabaseSchema = strictObject({
  kind: z.literal('neon'),
  /** @default { mode: 'new-project' } */
  source: neonSourceSchema.default({ mode: 'new-project' }),
  /** @default { minCu: 0.25, maxCu: 1, suspendTimeoutSeconds: 300 } */
  endpoint: strictObject({
    /** @default 0.25 */
    minCu: cu.default(0.25),
    /** @default 1 */
    maxCu: cu.default(1),
    /** Idle seconds before the endpoint suspends; -1 never suspends. @default 300 */
    suspendTimeoutSeconds: z
      .number()
      .int()
      .refine((v) => v === -1 || (v >= 60 && v <= 604800), {
        message: 'must be -1 (never) or between 60 and 604800 seconds',
        params: { allowed: '-1 or 60-604800' },
      })
      .default(300),
  }).prefault({}),
  /**
   * Fargate only, and required there: ARN of the Secrets Manager secret or SSM SecureString parameter
   * holding the `app` role's password, which ECS injects by reference (Patchbay never reads it). You create
   * it; on Cloud Run and Kubernetes the secret has a deterministic name instead (docs/engine.md "Secrets you
   * create").
   */
  passwordSecretArn: patternString(
    /^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret:|parameter\/).+$/,
    'a Secrets Manager secret or SSM parameter ARN',
  ).optional(),
  /** Point-in-time restore window. @default 86400 (1 day) */
  historyRetentionSeconds: z.number().int().min(0).max(2592000).default(86400),
});

export const databaseSchema = z.discriminatedUnion('kind', [
  rdsDatabaseSchema,
  cloudSqlDatabaseSchema,
  neonDatabaseSchema,
]);

export type Database = z.infer<typeof databaseSchema>;
export type DatabaseInput = z.input<typeof databaseSchema>;
export type NeonSource = z.infer<typeof neonSourceSchema>;
