import { randomBytes, randomUUID } from 'node:crypto';
import type { Collection } from '../../../core/resource-store.js';
import type { ApiContext } from '../../../core/sandbox-api.js';
import { parseInput } from '../../../protocols/aws/parse-input.js';
import { AWS_ACCOUNT_ID, awsArn } from '../aws-account.js';
import { rdsError } from './rds-errors.js';
import type { RdsInstance } from './rds-records.js';
import {
  createDBInstanceInput,
  deleteDBInstanceInput,
  describeDBInstancesInput,
  type ModifyDBInstanceInput,
  modifyDBInstanceInput,
} from './rds-schemas.js';

/** Defaults per engine: version and port (what RDS picks when they are not given). */
const ENGINE_DEFAULTS: Record<string, { version: string; port: number }> = {
  postgres: { version: '16.3', port: 5432 },
  'aurora-postgresql': { version: '16.3', port: 5432 },
  mysql: { version: '8.0.39', port: 3306 },
  'aurora-mysql': { version: '8.0.mysql_aurora.3.07.1', port: 3306 },
  mariadb: { version: '10.11.8', port: 3306 },
};

/**
 * ModifyDBInstance parameters that wait for the maintenance window unless ApplyImmediately is true,
 * mapped to their PendingModifiedValues name. Every other parameter applies right away, as in RDS.
 */
const PENDING_FIELDS: Record<string, string> = {
  DBInstanceClass: 'DBInstanceClass',
  AllocatedStorage: 'AllocatedStorage',
  MasterUserPassword: 'MasterUserPassword',
  DBPortNumber: 'Port',
  BackupRetentionPeriod: 'BackupRetentionPeriod',
  MultiAZ: 'MultiAZ',
  EngineVersion: 'EngineVersion',
  LicenseModel: 'LicenseModel',
  Iops: 'Iops',
  StorageThroughput: 'StorageThroughput',
  NewDBInstanceIdentifier: 'DBInstanceIdentifier',
  StorageType: 'StorageType',
  CACertificateIdentifier: 'CACertificateIdentifier',
  DBSubnetGroupName: 'DBSubnetGroupName',
  EnableIAMDatabaseAuthentication: 'IAMDatabaseAuthenticationEnabled',
  MultiTenant: 'MultiTenant',
  DedicatedLogVolume: 'DedicatedLogVolume',
};

/** Everything the RDS handlers work with for one request. */
export class RdsEnv {
  readonly instances: Collection<RdsInstance>;

  constructor(
    readonly ctx: ApiContext,
    readonly region: string,
  ) {
    this.instances = ctx.collection<RdsInstance>('dbInstance');
  }

  instance(id: string): RdsInstance {
    const record = this.instances.get(id)?.data;
    if (!record) throw rdsError.notFound(id);
    return record;
  }
}

export function createDBInstance(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(createDBInstanceInput, params, 'InvalidParameterValue');
  const id = input.DBInstanceIdentifier.toLowerCase();
  if (env.instances.has(id)) throw rdsError.alreadyExists();
  const aurora = input.Engine.startsWith('aurora');
  if (input.ManageMasterUserPassword && input.MasterUserPassword) {
    throw rdsError.combination("You can't specify both MasterUserPassword and ManageMasterUserPassword.");
  }
  if (!aurora && !input.MasterUsername)
    throw rdsError.value('The parameter MasterUsername must be provided and must not be blank.');
  if (!aurora && !input.ManageMasterUserPassword && !input.MasterUserPassword) {
    throw rdsError.value('The parameter MasterUserPassword must be provided and must not be blank.');
  }
  if (!aurora && input.AllocatedStorage === undefined) {
    throw rdsError.value('The parameter AllocatedStorage must be provided and must not be blank.');
  }
  if (input.KmsKeyId && input.StorageEncrypted === false) {
    throw rdsError.combination('Cannot specify KmsKeyId when StorageEncrypted is false.');
  }
  const defaults = ENGINE_DEFAULTS[input.Engine] ?? { version: '1.0', port: 1521 };
  const now = env.ctx.now();
  const port = input.Port ?? defaults.port;
  const instance: RdsInstance = {
    DBInstanceIdentifier: id,
    DBInstanceClass: input.DBInstanceClass,
    Engine: input.Engine,
    DBInstanceStatus: 'creating',
    ...(input.MasterUsername ? { MasterUsername: input.MasterUsername } : {}),
    ...(input.DBName ? { DBName: input.DBName } : {}),
    AllocatedStorage: input.AllocatedStorage ?? 1,
    PreferredBackupWindow: input.PreferredBackupWindow ?? '03:00-03:30',
    BackupRetentionPeriod: input.BackupRetentionPeriod ?? 1,
    DBSecurityGroups: [],
    VpcSecurityGroups: (input.VpcSecurityGroupIds ?? ['sg-00000000']).map(securityGroup),
    DBParameterGroups: [parameterGroup(input.DBParameterGroupName ?? `default.${input.Engine}`)],
    AvailabilityZone: input.AvailabilityZone ?? `${env.region}a`,
    ...(input.DBSubnetGroupName ? { DBSubnetGroup: subnetGroup(input.DBSubnetGroupName) } : {}),
    PreferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? 'sun:05:00-sun:05:30',
    PendingModifiedValues: {},
    MultiAZ: input.MultiAZ ?? false,
    EngineVersion: input.EngineVersion ?? defaults.version,
    AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
    LicenseModel:
      input.LicenseModel ?? (input.Engine === 'postgres' ? 'postgresql-license' : 'general-public-license'),
    ...(input.Iops !== undefined ? { Iops: input.Iops } : {}),
    ...(input.StorageThroughput !== undefined ? { StorageThroughput: input.StorageThroughput } : {}),
    OptionGroupMemberships: [
      { OptionGroupName: input.OptionGroupName ?? `default:${input.Engine}`, Status: 'in-sync' },
    ],
    PubliclyAccessible: input.PubliclyAccessible ?? false,
    StorageType: input.StorageType ?? 'gp2',
    StorageEncrypted: input.StorageEncrypted ?? false,
    ...(input.StorageEncrypted
      ? { KmsKeyId: input.KmsKeyId ?? awsArn('kms', env.region, 'key/sandbox-default') }
      : {}),
    DbiResourceId: `db-${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`,
    CACertificateIdentifier: input.CACertificateIdentifier ?? 'rds-ca-rsa2048-g1',
    CopyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
    MonitoringInterval: input.MonitoringInterval ?? 0,
    DBInstanceArn: awsArn('rds', env.region, `db:${id}`),
    IAMDatabaseAuthenticationEnabled: input.EnableIAMDatabaseAuthentication ?? false,
    PerformanceInsightsEnabled: input.EnablePerformanceInsights ?? false,
    EnabledCloudwatchLogsExports: input.EnableCloudwatchLogsExports ?? [],
    DeletionProtection: input.DeletionProtection ?? false,
    ...(input.MaxAllocatedStorage !== undefined ? { MaxAllocatedStorage: input.MaxAllocatedStorage } : {}),
    TagList: input.Tags ?? [],
    NetworkType: input.NetworkType ?? 'IPV4',
    ...(input.ManageMasterUserPassword
      ? { MasterUserSecret: masterUserSecret(id, env, input.MasterUserSecretKmsKeyId) }
      : {}),
    // The endpoint (with its port) only appears once the instance is available.
    _sandbox: { settleAt: now + env.ctx.operationDelayMs('CreateDBInstance'), createPort: port },
  };
  env.instances.put(id, instance);
  return { DBInstance: wire(instance) };
}

export function describeDBInstances(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(describeDBInstancesInput, params, 'InvalidParameterValue');
  let instances = env.instances.values().map((r) => r.data);
  if (input.DBInstanceIdentifier !== undefined) {
    const id = input.DBInstanceIdentifier.toLowerCase();
    instances = [env.instance(id)];
  }
  for (const filter of input.Filters ?? []) {
    const field = { 'db-instance-id': 'DBInstanceIdentifier', engine: 'Engine' }[filter.Name];
    if (!field)
      throw rdsError.value(`Unrecognized filter name: ${filter.Name}. Allowed: db-instance-id, engine.`);
    instances = instances.filter(
      (i) => filter.Values.includes(String(i[field])) || filter.Values.includes(i.DBInstanceArn),
    );
  }
  const start = input.Marker ? Number(input.Marker) : 0;
  const size = input.MaxRecords ?? 100;
  const page = instances.slice(start, start + size);
  const marker = start + size < instances.length ? String(start + size) : undefined;
  return { ...(marker ? { Marker: marker } : {}), DBInstances: page.map(wire) };
}

export function modifyDBInstance(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(modifyDBInstanceInput, params, 'InvalidParameterValue');
  const id = input.DBInstanceIdentifier.toLowerCase();
  const current = env.instance(id);
  if (current.DBInstanceStatus !== 'available') throw rdsError.invalidState(id, current.DBInstanceStatus);
  checkModification(input, current);

  const instance = structuredClone(current);
  const pending: Record<string, unknown> = {};
  for (const [field, pendingName] of Object.entries(PENDING_FIELDS)) {
    const value = input[field as keyof ModifyDBInstanceInput];
    if (value !== undefined) pending[pendingName] = field === 'MasterUserPassword' ? '****' : value;
  }
  applyImmediateFields(instance, input, env);
  instance.PendingModifiedValues = { ...instance.PendingModifiedValues, ...pending };
  if (input.ApplyImmediately) {
    // Everything pending (earlier changes included) is applied now: the instance is `modifying` meanwhile.
    startApplying(instance, env.ctx, 'ModifyDBInstance');
  }
  env.instances.put(id, instance);
  return { DBInstance: wire(instance) };
}

export function deleteDBInstance(params: unknown, env: RdsEnv): Record<string, unknown> {
  const input = parseInput(deleteDBInstanceInput, params, 'InvalidParameterValue');
  const id = input.DBInstanceIdentifier.toLowerCase();
  const current = env.instance(id);
  if (current.DBInstanceStatus === 'deleting') throw rdsError.invalidState(id, current.DBInstanceStatus);
  if (current.DeletionProtection) {
    throw rdsError.value(
      'Cannot delete protected DB Instance, please disable deletion protection and try again.',
    );
  }
  if (!input.SkipFinalSnapshot && !input.FinalDBSnapshotIdentifier) {
    throw rdsError.combination(
      'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.',
    );
  }
  if (input.SkipFinalSnapshot && input.FinalDBSnapshotIdentifier) {
    throw rdsError.combination('Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier.');
  }
  const instance = structuredClone(current);
  instance.DBInstanceStatus = 'deleting';
  instance._sandbox = { settleAt: env.ctx.now() + env.ctx.operationDelayMs('DeleteDBInstance') };
  env.instances.put(id, instance);
  return { DBInstance: wire(instance) };
}

/** Moves every pending value into a `modifying` transition (what ApplyImmediately or a maintenance window does). */
export function startApplying(instance: RdsInstance, ctx: ApiContext, operation: string): void {
  if (Object.keys(instance.PendingModifiedValues).length === 0) return;
  instance.DBInstanceStatus = 'modifying';
  instance._sandbox = {
    settleAt: ctx.now() + ctx.operationDelayMs(operation),
    applying: { ...instance.PendingModifiedValues },
  };
}

/** Finishes transitions whose time has come: creating/modifying → available, deleting → gone. */
export function settleInstances(ctx: ApiContext): void {
  const instances = ctx.collection<RdsInstance>('dbInstance');
  const now = ctx.now();
  for (const [id, record] of instances.entries()) {
    const settleAt = record.data._sandbox.settleAt;
    if (settleAt === undefined || settleAt > now) continue;
    if (record.data.DBInstanceStatus === 'deleting') {
      instances.delete(id);
      continue;
    }
    const instance = structuredClone(record.data);
    const applying = instance._sandbox.applying ?? {};
    let newId = id;
    for (const [name, value] of Object.entries(applying)) {
      delete instance.PendingModifiedValues[name];
      if (name === 'DBInstanceIdentifier') newId = String(value);
      else applyPendingValue(instance, name, value);
    }
    if (newId !== id) {
      instance.DBInstanceIdentifier = newId;
      instance.DBInstanceArn = instance.DBInstanceArn.replace(/:db:.*$/, `:db:${newId}`);
      const endpoint = instance.Endpoint as { Address?: string } | undefined;
      if (endpoint?.Address) endpoint.Address = endpoint.Address.replace(/^[^.]+/, newId);
    }
    instance.DBInstanceStatus = 'available';
    instance._sandbox = {};
    if (!instance.Endpoint) {
      const region = instance.DBInstanceArn.split(':')[3];
      instance.Endpoint = {
        Address: `${newId}.c${AWS_ACCOUNT_ID.slice(0, 6)}sandbox.${region}.rds.amazonaws.com`,
        Port: record.data._sandbox.createPort,
        HostedZoneId: 'Z2R2ITUGPM61AM',
      };
      instance.InstanceCreateTime = new Date(now).toISOString();
    }
    if (newId !== id) instances.delete(id);
    instances.put(newId, instance);
  }
}

function applyPendingValue(instance: RdsInstance, name: string, value: unknown): void {
  switch (name) {
    case 'MasterUserPassword':
      return; // never stored
    case 'Port': {
      const endpoint = instance.Endpoint as { Port?: number } | undefined;
      if (endpoint) endpoint.Port = value as number;
      return;
    }
    case 'DBSubnetGroupName':
      instance.DBSubnetGroup = subnetGroup(String(value));
      return;
    default:
      instance[name] = value;
  }
}

function checkModification(input: ModifyDBInstanceInput, current: RdsInstance): void {
  if (input.ManageMasterUserPassword && input.MasterUserPassword) {
    throw rdsError.combination("You can't specify both MasterUserPassword and ManageMasterUserPassword.");
  }
  if (input.RotateMasterUserPassword && !current.MasterUserSecret && !input.ManageMasterUserPassword) {
    throw rdsError.combination(
      'RotateMasterUserPassword requires a master user password managed in Secrets Manager.',
    );
  }
  if (input.Engine !== undefined && input.Engine !== current.Engine) {
    throw rdsError.combination(
      `Cannot change the engine of ${current.DBInstanceIdentifier} from ${current.Engine} to ${input.Engine}.`,
    );
  }
  if (input.AllocatedStorage !== undefined && input.AllocatedStorage < (current.AllocatedStorage as number)) {
    throw rdsError.combination(
      `Invalid storage size: decreasing allocated storage from ${current.AllocatedStorage} to ${input.AllocatedStorage} GiB is not supported.`,
    );
  }
  if (input.EngineVersion !== undefined) {
    const major = (version: string) => version.split('.')[0];
    if (major(input.EngineVersion) !== major(current.EngineVersion) && !input.AllowMajorVersionUpgrade) {
      throw rdsError.combination(
        'The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.',
      );
    }
  }
}

/** Parameters RDS applies without waiting for a maintenance window. */
function applyImmediateFields(instance: RdsInstance, input: ModifyDBInstanceInput, env: RdsEnv): void {
  const direct = [
    'PreferredBackupWindow',
    'PreferredMaintenanceWindow',
    'AutoMinorVersionUpgrade',
    'PubliclyAccessible',
    'CopyTagsToSnapshot',
    'MonitoringInterval',
    'MonitoringRoleArn',
    'DeletionProtection',
    'MaxAllocatedStorage',
    'NetworkType',
    'DatabaseInsightsMode',
    'PerformanceInsightsKMSKeyId',
    'PerformanceInsightsRetentionPeriod',
    'PromotionTier',
  ] as const;
  for (const field of direct) {
    if (input[field] !== undefined) (instance as Record<string, unknown>)[field] = input[field];
  }
  if (input.EnablePerformanceInsights !== undefined)
    instance.PerformanceInsightsEnabled = input.EnablePerformanceInsights;
  if (input.VpcSecurityGroupIds !== undefined)
    instance.VpcSecurityGroups = input.VpcSecurityGroupIds.map(securityGroup);
  if (input.DBParameterGroupName !== undefined)
    instance.DBParameterGroups = [parameterGroup(input.DBParameterGroupName)];
  if (input.OptionGroupName !== undefined) {
    instance.OptionGroupMemberships = [{ OptionGroupName: input.OptionGroupName, Status: 'in-sync' }];
  }
  const logs = input.CloudwatchLogsExportConfiguration as
    | { EnableLogTypes?: string[]; DisableLogTypes?: string[] }
    | undefined;
  if (logs) {
    const enabled = new Set((instance.EnabledCloudwatchLogsExports as string[] | undefined) ?? []);
    for (const type of logs.EnableLogTypes ?? []) enabled.add(type);
    for (const type of logs.DisableLogTypes ?? []) enabled.delete(type);
    instance.EnabledCloudwatchLogsExports = [...enabled];
  }
  if (input.ManageMasterUserPassword === true && !instance.MasterUserSecret) {
    instance.MasterUserSecret = masterUserSecret(
      instance.DBInstanceIdentifier,
      env,
      input.MasterUserSecretKmsKeyId,
    );
  }
  if (input.ManageMasterUserPassword === false) delete instance.MasterUserSecret;
}

function masterUserSecret(id: string, env: RdsEnv, kmsKeyId?: string): Record<string, string> {
  const suffix = randomBytes(3).toString('hex');
  return {
    SecretArn: awsArn('secretsmanager', env.region, `secret:rds!db-${randomUUID()}-${suffix}`),
    SecretStatus: 'active',
    KmsKeyId: kmsKeyId ?? awsArn('kms', env.region, `key/${id}-master-secret`),
  };
}

function securityGroup(id: string) {
  return { VpcSecurityGroupId: id, Status: 'active' };
}

function parameterGroup(name: string) {
  return { DBParameterGroupName: name, ParameterApplyStatus: 'in-sync' };
}

function subnetGroup(name: string) {
  return {
    DBSubnetGroupName: name,
    DBSubnetGroupDescription: name,
    VpcId: 'vpc-00000000',
    SubnetGroupStatus: 'Complete',
  };
}

/** The wire DBInstance: no sandbox bookkeeping. */
export function wire(instance: RdsInstance): Record<string, unknown> {
  const { _sandbox: _internal, ...rest } = instance;
  return rest;
}
