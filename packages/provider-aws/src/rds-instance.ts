import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  type DBInstance,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  type ModifyDBInstanceCommandInput,
  RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-rds';
import {
  type Attributes,
  assertPatchable,
  type CallContext,
  differs,
  effectiveMapChange,
  groupChanges,
  type JsonValue,
  type Observed,
  ProviderError,
  type ResourceRef,
  type ResourceType,
  type ValidationIssue,
} from '@patchbay/core';
import { awsCall, awsRead } from './aws-call.js';
import type { AwsContext } from './aws-context.js';
import {
  fromRdsTags,
  managedByFromTags,
  OWNERSHIP_TAG_KEYS,
  type TagMap,
  tagsForCreate,
  toRdsTags,
  userTags,
} from './aws-tags.js';
import { awsErrorCode, classifyAwsError, toProviderError } from './classify-aws-error.js';
import { planTimeIssues } from './plan-time-issues.js';
import { readForPatch } from './read-for-patch.js';
import { throwIfInvalid } from './throw-if-invalid.js';
import { toWriteResult } from './to-write-result.js';
import { waitForStatus } from './wait-for-status.js';
import { waitUntilGone } from './wait-until-gone.js';

const TYPE = 'aws.rds.instance';
const MAPS = ['tags'] as const;
const PATCHABLE = [
  'engineVersion',
  'instanceClass',
  'allocatedStorage',
  'multiAz',
  'backupRetentionPeriod',
  'deletionProtection',
  'tags',
];

/** Patchbay attribute ↔ ModifyDBInstance / PendingModifiedValues field. */
const MODIFIABLE = {
  engineVersion: 'EngineVersion',
  instanceClass: 'DBInstanceClass',
  allocatedStorage: 'AllocatedStorage',
  multiAz: 'MultiAZ',
  backupRetentionPeriod: 'BackupRetentionPeriod',
  deletionProtection: 'DeletionProtection',
} as const;

/**
 * `aws.rds.instance`: an RDS for PostgreSQL instance (`<env>-<name>`). The master password is
 * generated and kept by AWS (ManageMasterUserPassword): no password ever enters Patchbay.
 * Changes queued for the maintenance window are reported as `pending`, not as drift.
 */
export function rdsInstance(ctx: AwsContext): ResourceType {
  const describe = async (ref: ResourceRef, signal: AbortSignal): Promise<DBInstance | undefined> => {
    const out = await awsRead(
      'DescribeDBInstances',
      ref.id,
      () =>
        ctx.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ref.physicalId ?? ref.name }), {
          abortSignal: signal,
        }),
      (error) => classifyAwsError(error) === 'not-found',
    );
    return out?.DBInstances?.[0];
  };

  const waitAvailable = (ref: ResourceRef, call: CallContext): Promise<DBInstance> =>
    waitForStatus(ctx, ref, call, {
      subject: `RDS instance ${ref.name}`,
      state: 'available',
      timeoutMs: ctx.waitTimeoutMs.rds,
      describe: () => describe(ref, call.signal),
      settled: (db) => {
        call.progress(`RDS instance ${ref.name}: ${db.DBInstanceStatus}`);
        if (db.DBInstanceStatus === 'failed' || db.DBInstanceStatus === 'incompatible-parameters') {
          throw new ProviderError(
            'aws',
            'wait',
            'fatal',
            `RDS instance ${ref.name} is ${db.DBInstanceStatus}`,
            { resource: ref.id },
          );
        }
        return db.DBInstanceStatus === 'available';
      },
    });

  return {
    api: 'rds',
    precondition: 'read-before-write',
    stateful: true,
    maps: MAPS,
    immutable: ['engine', 'masterUsername'],
    normalize: normalizeRdsInstance,
    // Engine, instance class, storage and retention bounds at plan time (the same check create makes).
    validate: (attributes, _ref, context) => planTimeIssues(rdsIssues(attributes, true), attributes, context),

    async observe(ref, call) {
      const db = await describe(ref, call.signal);
      return db ? toObserved(db) : undefined;
    },

    async create(input, call) {
      const attrs = input.attributes;
      throwIfInvalid(TYPE, input.ref, rdsIssues(attrs, true));
      const masterUsername =
        typeof attrs.masterUsername === 'string' ? attrs.masterUsername : ctx.rdsMasterUsername;
      try {
        await ctx.rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: input.ref.name,
            Engine: attrs.engine as string,
            EngineVersion: attrs.engineVersion as string | undefined,
            DBInstanceClass: attrs.instanceClass as string,
            AllocatedStorage: attrs.allocatedStorage as number,
            MultiAZ: attrs.multiAz as boolean | undefined,
            BackupRetentionPeriod: attrs.backupRetentionPeriod as number | undefined,
            DeletionProtection: attrs.deletionProtection as boolean | undefined,
            MasterUsername: masterUsername,
            // AWS generates the password and keeps it in Secrets Manager; its ARN is an output.
            ManageMasterUserPassword: true,
            StorageEncrypted: true,
            CopyTagsToSnapshot: true,
            Tags: toRdsTags(tagsForCreate(input.ref, attrs.tags)),
          }),
          { abortSignal: call.signal },
        );
      } catch (error) {
        // A crashed earlier apply may have created it: adopt it only if it carries our ownership tags.
        if (awsErrorCode(error) !== 'DBInstanceAlreadyExists')
          throw toProviderError(error, 'CreateDBInstance', input.ref.id);
        const existing = await describe(input.ref, call.signal);
        const tags = fromRdsTags(existing?.TagList);
        if (
          tags[OWNERSHIP_TAG_KEYS.environment] !== input.ref.environment ||
          tags[OWNERSHIP_TAG_KEYS.logicalId] !== input.ref.id
        ) {
          throw toProviderError(error, 'CreateDBInstance', input.ref.id);
        }
      }
      return toWriteResult(toObserved(await waitAvailable(input.ref, call)));
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      throwIfInvalid(TYPE, ref, rdsIssues(Object.fromEntries(grouped.plain) as Attributes, false));
      const { current: db, live } = await readForPatch(ref, changes, precondition, {
        describe: () => describe(ref, call.signal),
        toObserved,
        missing: `RDS instance ${ref.name} does not exist`,
        normalize: normalizeRdsInstance,
        maps: MAPS,
      });

      // ApplyImmediately is always explicit: the default (false) must be a decision, not an accident.
      const modify: ModifyDBInstanceCommandInput = {
        DBInstanceIdentifier: db.DBInstanceIdentifier!,
        ApplyImmediately: ctx.rdsApplyImmediately,
      };
      let modifying = false;
      for (const [attribute, field] of Object.entries(MODIFIABLE) as [keyof typeof MODIFIABLE, string][]) {
        if (!grouped.plain.has(attribute)) continue;
        const to = grouped.plain.get(attribute);
        // Skip values already live or already requested (pending): re-sending them changes nothing.
        if (!differs(live.attributes[attribute], to) || !differs(live.pending?.[attribute], to)) continue;
        (modify as unknown as Record<string, unknown>)[field] = to;
        modifying = true;
      }
      if (modify.EngineVersion && major(modify.EngineVersion) !== major(db.EngineVersion ?? '')) {
        modify.AllowMajorVersionUpgrade = true;
      }
      if (modifying) {
        await awsCall('ModifyDBInstance', ref.id, () =>
          ctx.rds.send(new ModifyDBInstanceCommand(modify), { abortSignal: call.signal }),
        );
      }
      const tagChange = effectiveMapChange(fromRdsTags(db.TagList), grouped.maps.get('tags'));
      if (tagChange && Object.keys(tagChange.set).length > 0) {
        await awsCall('AddTagsToResource', ref.id, () =>
          ctx.rds.send(
            new AddTagsToResourceCommand({ ResourceName: db.DBInstanceArn!, Tags: toRdsTags(tagChange.set) }),
            {
              abortSignal: call.signal,
            },
          ),
        );
      }
      if (tagChange && tagChange.remove.length > 0) {
        await awsCall('RemoveTagsFromResource', ref.id, () =>
          ctx.rds.send(
            new RemoveTagsFromResourceCommand({ ResourceName: db.DBInstanceArn!, TagKeys: tagChange.remove }),
            {
              abortSignal: call.signal,
            },
          ),
        );
      }
      if (modifying && ctx.rdsApplyImmediately) {
        const after = await waitAvailable(ref, call);
        return { physicalId: after.DBInstanceIdentifier!, outputs: toObserved(after).outputs };
      }
      return { physicalId: db.DBInstanceIdentifier!, outputs: live.outputs };
    },

    async delete(ref, call) {
      const db = await describe(ref, call.signal);
      if (!db) return;
      const identifier = db.DBInstanceIdentifier!;
      await awsCall('DeleteDBInstance', ref.id, () =>
        ctx.rds.send(
          new DeleteDBInstanceCommand(
            ctx.rdsSkipFinalSnapshot
              ? { DBInstanceIdentifier: identifier, SkipFinalSnapshot: true }
              : {
                  DBInstanceIdentifier: identifier,
                  SkipFinalSnapshot: false,
                  FinalDBSnapshotIdentifier: finalSnapshotId(identifier),
                },
          ),
          { abortSignal: call.signal },
        ),
      );
      await waitUntilGone(ctx, ref, call, {
        subject: `RDS instance ${ref.name}`,
        timeoutMs: ctx.waitTimeoutMs.rds,
        describe: () => describe(ref, call.signal),
        progress: (left) => `RDS instance ${ref.name}: ${left.DBInstanceStatus}`,
      });
    },
  };
}

function toObserved(db: DBInstance): Observed {
  const all = fromRdsTags(db.TagList);
  const attributes: Attributes = {
    engine: db.Engine ?? 'postgres',
    instanceClass: db.DBInstanceClass ?? '',
    allocatedStorage: db.AllocatedStorage ?? 0,
    multiAz: db.MultiAZ ?? false,
    backupRetentionPeriod: db.BackupRetentionPeriod ?? 0,
    deletionProtection: db.DeletionProtection ?? false,
    tags: userTags(all),
  };
  if (db.EngineVersion) attributes.engineVersion = db.EngineVersion;
  if (db.MasterUsername) attributes.masterUsername = db.MasterUsername;
  const outputs: Record<string, JsonValue> = { arn: db.DBInstanceArn! };
  if (db.Endpoint?.Address) outputs.endpoint = db.Endpoint.Address;
  if (db.Endpoint?.Port !== undefined) outputs.port = db.Endpoint.Port;
  if (db.MasterUserSecret?.SecretArn) outputs.masterUserSecretArn = db.MasterUserSecret.SecretArn;
  const observed: Observed = { physicalId: db.DBInstanceIdentifier!, attributes, outputs };
  const pending = pendingOf(db);
  if (pending) observed.pending = pending;
  const managedBy = managedByFromTags(all);
  if (managedBy) observed.managedBy = managedBy;
  return observed;
}

/** PendingModifiedValues under Patchbay's attribute names (the password field is never read). */
function pendingOf(db: DBInstance): Attributes | undefined {
  const p = db.PendingModifiedValues;
  if (!p) return undefined;
  const pending: Attributes = {};
  for (const [attribute, field] of Object.entries(MODIFIABLE)) {
    const value = (p as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) pending[attribute] = value as JsonValue;
  }
  return Object.keys(pending).length > 0 ? pending : undefined;
}

function major(version: string): string {
  return version.split('.')[0] ?? version;
}

/** `<identifier>-final-<yyyymmddhhmmss>`: a valid, unique snapshot identifier. */
function finalSnapshotId(identifier: string): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${identifier}-final-${stamp}`;
}

export function normalizeRdsInstance(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'allocatedStorage':
    case 'backupRetentionPeriod':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'engine':
    case 'instanceClass':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'tags':
      return userTags(value as TagMap);
    default:
      return value;
  }
}

function rdsIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const has = (a: string) => creating || a in attrs;
  if (creating && attrs.engine !== 'postgres') {
    issues.push({
      path: ['engine'],
      message: 'is not supported',
      received: attrs.engine,
      allowed: ['postgres'],
    });
  }
  if (
    has('instanceClass') &&
    (typeof attrs.instanceClass !== 'string' || !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(attrs.instanceClass))
  ) {
    issues.push({
      path: ['instanceClass'],
      message: 'must be an RDS instance class',
      received: attrs.instanceClass,
      allowed: 'e.g. "db.t4g.micro", "db.m7g.large"',
    });
  }
  if (
    has('allocatedStorage') &&
    !(
      Number.isInteger(attrs.allocatedStorage) &&
      (attrs.allocatedStorage as number) >= 20 &&
      (attrs.allocatedStorage as number) <= 65536
    )
  ) {
    issues.push({
      path: ['allocatedStorage'],
      message: 'must be GiB of storage',
      received: attrs.allocatedStorage,
      allowed: '20..65536',
    });
  }
  if (
    'backupRetentionPeriod' in attrs &&
    !(
      Number.isInteger(attrs.backupRetentionPeriod) &&
      (attrs.backupRetentionPeriod as number) >= 0 &&
      (attrs.backupRetentionPeriod as number) <= 35
    )
  ) {
    issues.push({
      path: ['backupRetentionPeriod'],
      message: 'must be days of retention',
      received: attrs.backupRetentionPeriod,
      allowed: '0..35',
    });
  }
  for (const flag of ['multiAz', 'deletionProtection']) {
    if (flag in attrs && typeof attrs[flag] !== 'boolean') {
      issues.push({ path: [flag], message: 'must be true or false', received: attrs[flag] });
    }
  }
  if (
    'engineVersion' in attrs &&
    (typeof attrs.engineVersion !== 'string' || !/^\d+(\.\d+)*$/.test(attrs.engineVersion))
  ) {
    issues.push({
      path: ['engineVersion'],
      message: 'must be a PostgreSQL version',
      received: attrs.engineVersion,
      allowed: 'e.g. "16.4"',
    });
  }
  return issues;
}
