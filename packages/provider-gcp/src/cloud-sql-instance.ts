import type { protos } from '@google-cloud/sql';
import {
  type Attributes,
  assertPatchable,
  type CallContext,
  ConflictError,
  differs,
  groupChanges,
  type JsonValue,
  type Observed,
  ProviderError,
  pollUntil,
  type ResourceRef,
  type ResourceType,
  ValidationError,
  type ValidationIssue,
  type WriteResult,
} from '@patchbay/core';
import { alreadyApplied } from './already-applied.js';
import {
  isAlreadyExists,
  isNotFound,
  isPassingGcpError,
  isStaleVersion,
  toProviderError,
} from './classify-gcp-error.js';
import { patchInstanceJson } from './cloud-sql-json-patch.js';
import { gcpRead } from './gcp-call.js';
import type { GcpContext } from './gcp-context.js';
import { labelIssues, labelsForCreate, observedLabels, ownedBy } from './gcp-labels.js';

type Instance = protos.google.cloud.sql.v1.IDatabaseInstance;
type Settings = protos.google.cloud.sql.v1.ISettings;
type Operation = protos.google.cloud.sql.v1.IOperation;

const TYPE = 'gcp.sql.instance';
const MAPS = ['labels'] as const;
const PATCHABLE = [
  'tier',
  'diskSizeGb',
  'availabilityType',
  'backupEnabled',
  'backupRetentionDays',
  'labels',
];
/** What Patchbay creates when the spec names no version: the database is PostgreSQL. */
export const DEFAULT_DATABASE_VERSION = 'POSTGRES_16';
/** Cloud SQL keeps 7 automated backups unless told otherwise. */
const DEFAULT_RETAINED_BACKUPS = 7;

/** Enum numbers the decoded messages may carry (names otherwise). */
const AVAILABILITY: Record<number, string> = { 1: 'ZONAL', 2: 'REGIONAL' };

/**
 * `gcp.sql.instance`: a Cloud SQL instance per app database. Compare-and-set on `settings.settingsVersion`;
 * a patch is one `instances.patch` (never `update`, which replaces the settings) carrying only the changed
 * settings, then its operation is polled until DONE.
 */
export function cloudSqlInstance(ctx: GcpContext): ResourceType {
  const instanceOf = (ref: ResourceRef): string => ref.physicalId?.split('/').pop() ?? ref.name;

  const read = async (ref: ResourceRef, signal: AbortSignal): Promise<Instance | undefined> => {
    const found = await gcpRead(
      'instances.get',
      ref.id,
      async () =>
        (
          await ctx.sqlInstances.get({ project: ctx.project, instance: instanceOf(ref) }, {
            signal,
          } as object)
        )[0],
      isNotFound,
    );
    // An instance being deleted is gone as far as Patchbay is concerned.
    return found && found.state !== 'PENDING_DELETE' ? found : undefined;
  };

  /** Polls a Cloud SQL operation until DONE; its `error` fails the call. */
  const waitFor = async (operation: Operation, ref: ResourceRef, call: CallContext): Promise<void> => {
    await pollUntil(
      {
        provider: 'gcp',
        waitOutError: isPassingGcpError,
        what: `Cloud SQL operation ${operation.name} (${operation.operationType}) DONE`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs.sql,
        signal: call.signal,
        resource: ref.id,
      },
      async () => {
        const [op] =
          operation.status === 'DONE'
            ? [operation]
            : await ctx.sqlOperations.get({ project: ctx.project, operation: operation.name ?? '' }, {
                signal: call.signal,
              } as object);
        if (op.status !== 'DONE') {
          call.progress(`Cloud SQL ${ref.name}: ${op.operationType} ${op.status}`);
          return undefined;
        }
        const errors = op.error?.errors ?? [];
        if (errors.length > 0) {
          throw new ProviderError(
            'gcp',
            `instances.${String(op.operationType).toLowerCase()}`,
            'fatal',
            `Cloud SQL operation ${op.name} failed: ${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`,
            { resource: ref.id },
          );
        }
        return true;
      },
    );
  };

  const settled = async (ref: ResourceRef, call: CallContext): Promise<WriteResult> => {
    const instance = await pollUntil(
      {
        provider: 'gcp',
        waitOutError: isPassingGcpError,
        what: `Cloud SQL instance ${ref.name} readable`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs.sql,
        signal: call.signal,
        resource: ref.id,
      },
      async () => (await read(ref, call.signal)) ?? null,
    );
    if (!instance)
      throw new ProviderError('gcp', 'wait', 'not-found', `Cloud SQL instance ${ref.name} disappeared`, {
        resource: ref.id,
      });
    const observed = toObserved(ctx.project, instance);
    return {
      physicalId: observed.physicalId,
      attributes: observed.attributes,
      version: observed.version,
      outputs: observed.outputs,
    };
  };

  return {
    api: 'cloudsql',
    precondition: 'version',
    stateful: true,
    serialUpdates: true,
    immutable: ['region', 'databaseVersion'],
    validate: (attributes, _ref, context) => instanceIssues(attributes, context.mayCreate),
    maps: MAPS,
    normalize: normalizeCloudSql,

    async observe(ref, call) {
      const instance = await read(ref, call.signal);
      return instance ? toObserved(ctx.project, instance) : undefined;
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, instanceIssues(attrs, true));
      const settings: Settings = {
        tier: attrs.tier as string,
        userLabels: labelsForCreate(ref, attrs.labels),
        ...settingsFor(attrs),
      };
      const body: Instance = {
        name: ref.name,
        region: (attrs.region as string | undefined) ?? ctx.region,
        databaseVersion: ((attrs.databaseVersion as string | undefined) ?? DEFAULT_DATABASE_VERSION) as never,
        settings,
      };
      try {
        const [op] = await ctx.sqlInstances.insert({ project: ctx.project, body }, {
          signal: call.signal,
        } as object);
        await waitFor(op, ref, call);
      } catch (error) {
        if (!isAlreadyExists(error)) throw toProviderError(error, 'instances.insert', ref.id);
        // A crashed or retried earlier insert of ours (Cloud SQL has no request id): wait for it.
        const existing = await read(ref, call.signal);
        if (!existing || !ownedBy(existing.settings?.userLabels as Record<string, string>, ref)) {
          throw toProviderError(error, 'instances.insert', ref.id);
        }
        await pollUntil(
          {
            provider: 'gcp',
            waitOutError: isPassingGcpError,
            what: `Cloud SQL instance ${ref.name} RUNNABLE`,
            intervalMs: ctx.pollIntervalMs,
            timeoutMs: ctx.waitTimeoutMs.sql,
            signal: call.signal,
            resource: ref.id,
          },
          async () => {
            const state = (await read(ref, call.signal))?.state;
            if (state === 'FAILED')
              throw new ProviderError(
                'gcp',
                'instances.insert',
                'fatal',
                `Cloud SQL instance ${ref.name} failed to create`,
                { resource: ref.id },
              );
            return state === 'RUNNABLE' ? true : undefined;
          },
        );
      }
      return settled(ref, call);
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      const plain = Object.fromEntries(grouped.plain) as Attributes;
      const issues = instanceIssues(plain, false);
      issues.push(...labelIssues(grouped.maps.get('labels')?.set));
      // Cloud SQL disks only grow: refuse a shrink before any call.
      const from = grouped.from.get('diskSizeGb');
      if (typeof plain.diskSizeGb === 'number' && typeof from === 'number' && plain.diskSizeGb < from) {
        issues.push({
          path: ['diskSizeGb'],
          message: 'cannot shrink: Cloud SQL storage only grows',
          received: plain.diskSizeGb,
          allowed: `≥ ${from}`,
        });
      }
      throwIfInvalid(ref, issues);

      let version: string;
      if (precondition.kind === 'version') version = precondition.version;
      else {
        const live = await read(ref, call.signal);
        if (!live)
          throw new ProviderError(
            'gcp',
            'patch',
            'not-found',
            `Cloud SQL instance ${ref.name} does not exist`,
            { resource: ref.id },
          );
        const now = toObserved(ctx.project, live).attributes;
        for (const [path, expected] of Object.entries(precondition.expected)) {
          const [head, key] = path.split('.') as [string, string | undefined];
          const actual = key ? (now[head] as Record<string, JsonValue> | undefined)?.[key] : now[head];
          if (differs(actual, expected)) throw new ConflictError(ref.id, path, expected, actual);
        }
        version = String(live.settings?.settingsVersion?.value ?? '');
      }

      // Only the changed settings, plus the version they were read at; `patch` merges, and a label set to
      // null is removed, so console-added labels survive without being read.
      const settings: Settings = { settingsVersion: { value: version as never }, ...settingsFor(plain) };
      if (plain.tier !== undefined) settings.tier = plain.tier as string;
      const labels = grouped.maps.get('labels');
      if (labels) {
        const userLabels: Record<string, string | null> = { ...labels.set };
        for (const key of labels.remove) userLabels[key] = null;
        settings.userLabels = userLabels as Record<string, string>;
      }
      let op: Operation;
      try {
        if (labels && labels.remove.length > 0) {
          op = await patchInstanceJson(
            ctx.sqlInstances,
            ctx.project,
            instanceOf(ref),
            { settings: jsonSettings(settings) },
            call.signal,
          );
        } else {
          [op] = await ctx.sqlInstances.patch(
            { project: ctx.project, instance: instanceOf(ref), body: { settings } },
            { signal: call.signal } as object,
          );
        }
      } catch (error) {
        if (isStaleVersion(error)) {
          const now = await read(ref, call.signal);
          if (now && alreadyApplied(toObserved(ctx.project, now).attributes, changes, normalizeCloudSql)) {
            return settled(ref, call);
          }
          throw new ConflictError(ref.id, changes[0]?.attribute, version, undefined, {
            cause: error,
            reason: 'settingsVersion moved',
          });
        }
        throw toProviderError(error, 'instances.patch', ref.id);
      }
      await waitFor(op, ref, call);
      return settled(ref, call);
    },

    async delete(ref, call) {
      let op: Operation;
      try {
        [op] = await ctx.sqlInstances.delete({ project: ctx.project, instance: instanceOf(ref) }, {
          signal: call.signal,
        } as object);
      } catch (error) {
        if (isNotFound(error)) return;
        throw toProviderError(error, 'instances.delete', ref.id);
      }
      await waitFor(op, ref, call);
      await pollUntil(
        {
          provider: 'gcp',
          waitOutError: isPassingGcpError,
          what: `Cloud SQL instance ${ref.name} deleted`,
          intervalMs: ctx.pollIntervalMs,
          timeoutMs: ctx.waitTimeoutMs.sql,
          signal: call.signal,
          resource: ref.id,
        },
        async () => ((await read(ref, call.signal)) ? undefined : true),
      );
    },
  };
}

/** The settings for the owned attributes present in `attrs` (wrapper fields are `{ value }` on the client). */
function settingsFor(attrs: Attributes): Settings {
  const settings: Settings = {};
  if (attrs.diskSizeGb !== undefined) settings.dataDiskSizeGb = { value: attrs.diskSizeGb as never };
  if (attrs.availabilityType !== undefined)
    settings.availabilityType = normalizeCloudSql('availabilityType', attrs.availabilityType) as never;
  if (attrs.backupEnabled !== undefined || attrs.backupRetentionDays !== undefined) {
    settings.backupConfiguration = {};
    if (attrs.backupEnabled !== undefined)
      settings.backupConfiguration.enabled = { value: attrs.backupEnabled as boolean };
    // Automated backups are daily: keeping N days is keeping N backups.
    if (attrs.backupRetentionDays !== undefined) {
      settings.backupConfiguration.backupRetentionSettings = {
        retainedBackups: { value: attrs.backupRetentionDays as number },
        retentionUnit: 'COUNT' as never,
      };
    }
  }
  return settings;
}

/** The same settings in the API's JSON form: wrapper fields (`{ value }`) unwrapped, int64 as strings. */
function jsonSettings(settings: Settings): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(settings, (key, value: unknown) => {
      if (
        value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        'value' in value
      ) {
        const inner = (value as { value: unknown }).value;
        return key === 'settingsVersion' || key === 'dataDiskSizeGb' ? String(inner) : inner;
      }
      return value;
    }),
  ) as Record<string, unknown>;
}

function toObserved(project: string, instance: Instance): Observed {
  const s = instance.settings ?? {};
  const backup = s.backupConfiguration ?? {};
  const attributes: Attributes = {
    region: instance.region ?? '',
    databaseVersion: String(instance.databaseVersion ?? ''),
    tier: s.tier ?? '',
    diskSizeGb: Number(s.dataDiskSizeGb?.value ?? 10),
    availabilityType: normalizeCloudSql('availabilityType', (s.availabilityType ?? 'ZONAL') as JsonValue),
    backupEnabled: backup.enabled?.value === true,
    backupRetentionDays: Number(
      backup.backupRetentionSettings?.retainedBackups?.value ?? DEFAULT_RETAINED_BACKUPS,
    ),
    labels: observedLabels(s.userLabels as Record<string, string>),
  };
  const outputs: Record<string, JsonValue> = {};
  if (instance.connectionName) outputs.connectionName = instance.connectionName;
  const ip =
    instance.ipAddresses?.find((a) => a.type === 'PRIMARY' || (a.type as unknown) === 1) ??
    instance.ipAddresses?.[0];
  if (ip?.ipAddress) outputs.ipAddress = ip.ipAddress;
  const version = s.settingsVersion?.value;
  return {
    physicalId: `projects/${project}/instances/${instance.name}`,
    attributes,
    ...(version !== undefined && version !== null ? { version: String(version) } : {}),
    outputs,
  };
}

/** Normalize a desired or observed value: enum names, numbers, sorted labels. */
export function normalizeCloudSql(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'availabilityType':
      if (typeof value === 'number') return AVAILABILITY[value] ?? value;
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'diskSizeGb':
    case 'backupRetentionDays':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'labels':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value;
    default:
      return value;
  }
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function instanceIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const has = (a: string) => creating || a in attrs;
  if (has('tier') && (typeof attrs.tier !== 'string' || !/^db-[a-z0-9-]+$/.test(attrs.tier))) {
    issues.push({
      path: ['tier'],
      message: 'must be a Cloud SQL tier',
      received: attrs.tier,
      allowed: 'e.g. "db-f1-micro", "db-custom-2-7680"',
    });
  }
  if (
    'region' in attrs &&
    (typeof attrs.region !== 'string' || !/^[a-z]+-[a-z]+\d{1,2}$/.test(attrs.region))
  ) {
    issues.push({
      path: ['region'],
      message: 'must be a GCP region',
      received: attrs.region,
      allowed: 'e.g. "europe-west1"',
    });
  }
  if (
    'databaseVersion' in attrs &&
    (typeof attrs.databaseVersion !== 'string' || !/^POSTGRES_\d{2}$/.test(attrs.databaseVersion))
  ) {
    issues.push({
      path: ['databaseVersion'],
      message: 'must be a Cloud SQL PostgreSQL version',
      received: attrs.databaseVersion,
      allowed: 'e.g. "POSTGRES_16"',
    });
  }
  if (
    'diskSizeGb' in attrs &&
    !(
      Number.isInteger(attrs.diskSizeGb) &&
      (attrs.diskSizeGb as number) >= 10 &&
      (attrs.diskSizeGb as number) <= 65536
    )
  ) {
    issues.push({
      path: ['diskSizeGb'],
      message: 'must be whole GB between 10 and 65536',
      received: attrs.diskSizeGb,
    });
  }
  if (
    'availabilityType' in attrs &&
    !['ZONAL', 'REGIONAL'].includes(
      normalizeCloudSql('availabilityType', attrs.availabilityType ?? null) as string,
    )
  ) {
    issues.push({
      path: ['availabilityType'],
      message: 'is not a Cloud SQL availability type',
      received: attrs.availabilityType,
      allowed: ['ZONAL', 'REGIONAL'],
    });
  }
  if ('backupEnabled' in attrs && typeof attrs.backupEnabled !== 'boolean') {
    issues.push({ path: ['backupEnabled'], message: 'must be true or false', received: attrs.backupEnabled });
  }
  if (
    'backupRetentionDays' in attrs &&
    !(
      Number.isInteger(attrs.backupRetentionDays) &&
      (attrs.backupRetentionDays as number) >= 1 &&
      (attrs.backupRetentionDays as number) <= 365
    )
  ) {
    issues.push({
      path: ['backupRetentionDays'],
      message: 'must be whole days between 1 and 365',
      received: attrs.backupRetentionDays,
    });
  }
  if (creating) issues.push(...labelIssues(attrs.labels));
  return issues;
}
