import { z } from 'zod';
import { queryBool, queryInt, queryList } from '../../../protocols/aws/query-types.js';

const identifier = z
  .string()
  .regex(
    /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/,
    '1–63 letters, digits or hyphens, starting with a letter, no "--"',
  )
  .refine((id) => !id.endsWith('-'), 'must not end with a hyphen');
const tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() }).strict();
const text = z.string();
const loose = z.looseObject({});

/** Fields both CreateDBInstance and ModifyDBInstance accept (as modelled by the RDS API). */
const common = {
  DBInstanceClass: text.optional(),
  AllocatedStorage: queryInt.optional(),
  MasterUserPassword: text.min(8, 'must be at least 8 characters').optional(),
  DBSecurityGroups: queryList(text).optional(),
  VpcSecurityGroupIds: queryList(text).optional(),
  DBSubnetGroupName: text.optional(),
  PreferredMaintenanceWindow: text.optional(),
  DBParameterGroupName: text.optional(),
  BackupRetentionPeriod: queryInt.pipe(z.number().min(0).max(35)).optional(),
  PreferredBackupWindow: text.optional(),
  MultiAZ: queryBool.optional(),
  EngineVersion: text.optional(),
  AutoMinorVersionUpgrade: queryBool.optional(),
  LicenseModel: text.optional(),
  Iops: queryInt.optional(),
  StorageThroughput: queryInt.optional(),
  OptionGroupName: text.optional(),
  PubliclyAccessible: queryBool.optional(),
  StorageType: z.enum(['standard', 'gp2', 'gp3', 'io1', 'io2', 'aurora']).optional(),
  CACertificateIdentifier: text.optional(),
  CopyTagsToSnapshot: queryBool.optional(),
  MonitoringInterval: queryInt.optional(),
  MonitoringRoleArn: text.optional(),
  PromotionTier: queryInt.optional(),
  EnableIAMDatabaseAuthentication: queryBool.optional(),
  DatabaseInsightsMode: z.enum(['standard', 'advanced']).optional(),
  EnablePerformanceInsights: queryBool.optional(),
  PerformanceInsightsKMSKeyId: text.optional(),
  PerformanceInsightsRetentionPeriod: queryInt.optional(),
  ProcessorFeatures: queryList(loose).optional(),
  DeletionProtection: queryBool.optional(),
  MaxAllocatedStorage: queryInt.optional(),
  EnableCustomerOwnedIp: queryBool.optional(),
  NetworkType: z.enum(['IPV4', 'DUAL']).optional(),
  ManageMasterUserPassword: queryBool.optional(),
  MasterUserSecretKmsKeyId: text.optional(),
  MultiTenant: queryBool.optional(),
  DedicatedLogVolume: queryBool.optional(),
  Domain: text.optional(),
  DomainFqdn: text.optional(),
  DomainOu: text.optional(),
  DomainAuthSecretArn: text.optional(),
  DomainDnsIps: queryList(text).optional(),
  DomainIAMRoleName: text.optional(),
  TdeCredentialArn: text.optional(),
  TdeCredentialPassword: text.optional(),
  DBCapacityReservationIdentifier: text.optional(),
  TagSpecifications: queryList(loose).optional(),
  MasterUserAuthenticationType: text.optional(),
  EngineLifecycleSupport: text.optional(),
  AdditionalStorageVolumes: queryList(loose).optional(),
};

export const createDBInstanceInput = z
  .object({
    ...common,
    DBInstanceIdentifier: identifier,
    DBInstanceClass: text,
    Engine: z.enum([
      'postgres',
      'mysql',
      'mariadb',
      'oracle-ee',
      'oracle-se2',
      'sqlserver-ee',
      'sqlserver-se',
      'sqlserver-ex',
      'sqlserver-web',
      'db2-se',
      'db2-ae',
      'aurora-postgresql',
      'aurora-mysql',
    ]),
    DBName: text.optional(),
    MasterUsername: text.min(1).max(63).optional(),
    AvailabilityZone: text.optional(),
    Port: queryInt.pipe(z.number().min(1150).max(65535)).optional(),
    CharacterSetName: text.optional(),
    NcharCharacterSetName: text.optional(),
    Tags: queryList(tag).optional(),
    DBClusterIdentifier: text.optional(),
    StorageEncrypted: queryBool.optional(),
    KmsKeyId: text.optional(),
    Timezone: text.optional(),
    EnableCloudwatchLogsExports: queryList(text).optional(),
    BackupTarget: text.optional(),
    CustomIamInstanceProfile: text.optional(),
    DBSystemId: text.optional(),
  })
  .strict();

export const modifyDBInstanceInput = z
  .object({
    ...common,
    DBInstanceIdentifier: text.min(1),
    ApplyImmediately: queryBool.optional(),
    AllowMajorVersionUpgrade: queryBool.optional(),
    NewDBInstanceIdentifier: identifier.optional(),
    DBPortNumber: queryInt.pipe(z.number().min(1150).max(65535)).optional(),
    DisableDomain: queryBool.optional(),
    CloudwatchLogsExportConfiguration: loose.optional(),
    UseDefaultProcessorFeatures: queryBool.optional(),
    CertificateRotationRestart: queryBool.optional(),
    ReplicaMode: text.optional(),
    AutomationMode: text.optional(),
    ResumeFullAutomationModeMinutes: queryInt.optional(),
    AwsBackupRecoveryPointArn: text.optional(),
    RotateMasterUserPassword: queryBool.optional(),
    Engine: text.optional(),
  })
  .strict();

export const describeDBInstancesInput = z
  .object({
    DBInstanceIdentifier: text.optional(),
    Filters: queryList(z.object({ Name: text, Values: queryList(text) }).strict()).optional(),
    MaxRecords: queryInt.pipe(z.number().min(20).max(100)).optional(),
    Marker: text.optional(),
  })
  .strict();

export const deleteDBInstanceInput = z
  .object({
    DBInstanceIdentifier: text.min(1),
    SkipFinalSnapshot: queryBool.optional(),
    FinalDBSnapshotIdentifier: text.optional(),
    DeleteAutomatedBackups: queryBool.optional(),
  })
  .strict();

export const addTagsToResourceInput = z.object({ ResourceName: text.min(1), Tags: queryList(tag) }).strict();
export const removeTagsFromResourceInput = z
  .object({ ResourceName: text.min(1), TagKeys: queryList(text) })
  .strict();
export const listTagsForResourceInput = z
  .object({ ResourceName: text.min(1), Filters: queryList(loose).optional() })
  .strict();

export type RdsTag = z.infer<typeof tag>;
export type ModifyDBInstanceInput = z.infer<typeof modifyDBInstanceInput>;
