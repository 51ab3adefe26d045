import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../core/api-error.js';
import { mergePatch } from '../../../core/merge-patch.js';
import type { Collection } from '../../../core/resource-store.js';
import type { ApiContext } from '../../../core/sandbox-api.js';
import type { SandboxRequest } from '../../../core/sandbox-request.js';
import { enumName } from '../../../protocols/google/google-enum.js';
import { etagOf, timestamp } from '../../../protocols/google/google-etag.js';
import { googleJsonBody, int64, parseGoogleInput } from '../../../protocols/google/google-request-body.js';
import { sqlError } from './cloudsql-errors.js';
import type { SqlInstance, SqlOperation, SqlSettings } from './cloudsql-records.js';
import {
  AVAILABILITY_TYPES,
  DATABASE_VERSIONS,
  type InstanceInput,
  instanceInput,
} from './cloudsql-schemas.js';

const INSTANCE_NAME = /^[a-z]([-a-z0-9]{0,96}[a-z0-9])?$/;
const TIER =
  /^db-(f1-micro|g1-small|custom-\d+-\d+|(n1|n2|e2)?-?(standard|highmem|highcpu)-\d+|perf-optimized-n-\d+)$/;

/** Collections and clock of the Cloud SQL Admin API. */
export class SqlEnv {
  readonly instances: Collection<SqlInstance>;
  readonly operations: Collection<SqlOperation>;
  constructor(readonly ctx: ApiContext) {
    this.instances = ctx.collection<SqlInstance>('instance');
    this.operations = ctx.collection<SqlOperation>('operation');
  }

  link(path: string): string {
    return `${this.ctx.baseUrl}/v1/${path}`;
  }
}

type Params = Record<string, string>;

export function getInstance(_request: SandboxRequest, params: Params, env: SqlEnv): object {
  return renderInstance(instanceId(params), env);
}

export function listInstances(_request: SandboxRequest, params: Params, env: SqlEnv): object {
  const items = env.instances
    .entries()
    .filter(([id]) => id.startsWith(`${params.project}/`))
    .map(([id]) => renderInstance(id, env));
  return { kind: 'sql#instancesList', ...(items.length > 0 ? { items } : {}) };
}

export function insertInstance(request: SandboxRequest, params: Params, env: SqlEnv): object {
  const input = parseGoogleInput(instanceInput, googleJsonBody(request), 'body');
  const project = params.project as string;
  const name = input.name ?? '';
  if (!INSTANCE_NAME.test(name)) {
    throw sqlError.invalid(
      `instance name '${name}' is invalid: use lower-case letters, digits and hyphens, starting with a letter (at most 98).`,
    );
  }
  if (input.project && input.project !== project)
    throw sqlError.invalid('body.project does not match the URL.');
  const id = `${project}/${name}`;
  if (env.instances.has(id)) throw sqlError.alreadyExists();
  const databaseVersion = sqlEnum(DATABASE_VERSIONS, input.databaseVersion ?? 'MYSQL_8_0', 'databaseVersion');
  const settings = input.settings ?? {};
  if (!settings.tier) throw sqlError.invalid('settings.tier is required.');
  checkTier(settings.tier, databaseVersion);
  const region = input.region ?? 'us-central1';
  const now = env.ctx.now();
  const { settingsVersion: _version, userLabels, ...rest } = settings;
  const dataDiskSizeGb = int64(settings.dataDiskSizeGb) ?? 10;
  if (dataDiskSizeGb < 10) throw sqlError.invalid('settings.dataDiskSizeGb must be at least 10.');
  const instance: SqlInstance = {
    kind: 'sql#instance',
    name,
    project,
    databaseVersion,
    region,
    gceZone: `${region}-b`,
    state: 'PENDING_CREATE',
    backendType: 'SECOND_GEN',
    instanceType: 'CLOUD_SQL_INSTANCE',
    connectionName: `${project}:${region}:${name}`,
    selfLink: env.link(`projects/${project}/instances/${name}`),
    serviceAccountEmailAddress: `p0-sandbox@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
    createTime: timestamp(now),
    ipAddresses: [],
    settings: {
      kind: 'sql#settings',
      pricingPlan: 'PER_USE',
      activationPolicy: 'ALWAYS',
      dataDiskType: 'PD_SSD',
      storageAutoResize: true,
      replicationType: 'SYNCHRONOUS',
      ...rest,
      tier: settings.tier,
      userLabels: withoutNulls(userLabels ?? {}),
      availabilityType: sqlEnum(
        AVAILABILITY_TYPES,
        settings.availabilityType ?? 'ZONAL',
        'settings.availabilityType',
      ),
      dataDiskSizeGb: String(dataDiskSizeGb),
      backupConfiguration: {
        kind: 'sql#backupConfiguration',
        enabled: false,
        startTime: '00:00',
        ...(settings.backupConfiguration ?? {}),
      },
      settingsVersion: '1',
    },
    _sandbox: {},
  };
  env.instances.put(id, instance);
  return startOperation(id, 'CREATE', undefined, 'instances.insert', env);
}

export function patchInstance(request: SandboxRequest, params: Params, env: SqlEnv): object {
  const id = instanceId(params);
  const record = env.instances.get(id);
  if (!record || record.data.state === 'PENDING_DELETE') throw sqlError.instanceNotFound();
  const input = parseGoogleInput(instanceInput, googleJsonBody(request), 'body');
  const current = record.data;
  if (current._sandbox.operation) throw sqlError.operationInProgress();
  checkIdentity(input, current);
  const settings = input.settings ?? {};
  const version = int64(settings.settingsVersion);
  if (version !== undefined && String(version) !== current.settings.settingsVersion)
    throw sqlError.staleData();
  const { settingsVersion: _version, ...changes } = settings;
  const patch: Record<string, unknown> = { ...changes };
  if (changes.tier !== undefined) checkTier(changes.tier, current.databaseVersion);
  if (changes.availabilityType !== undefined) {
    patch.availabilityType = sqlEnum(
      AVAILABILITY_TYPES,
      changes.availabilityType,
      'settings.availabilityType',
    );
  }
  if (changes.dataDiskSizeGb !== undefined) {
    const size = int64(changes.dataDiskSizeGb) as number;
    if (size < Number(current.settings.dataDiskSizeGb)) {
      throw sqlError.invalid(
        `settings.dataDiskSizeGb cannot be decreased (current ${current.settings.dataDiskSizeGb} GB, requested ${size} GB).`,
      );
    }
    patch.dataDiskSizeGb = String(size);
  }
  return startOperation(id, 'UPDATE', patch, 'instances.patch', env);
}

export function deleteInstance(_request: SandboxRequest, params: Params, env: SqlEnv): object {
  const id = instanceId(params);
  const record = env.instances.get(id);
  if (!record || record.data.state === 'PENDING_DELETE') throw sqlError.instanceNotFound();
  if (record.data._sandbox.operation) throw sqlError.operationInProgress();
  if (record.data.settings.deletionProtectionEnabled === true) {
    throw sqlError.invalid(
      'the instance is protected from deletion; set settings.deletionProtectionEnabled to false first.',
    );
  }
  const instance = structuredClone(record.data);
  instance.state = 'PENDING_DELETE';
  env.instances.put(id, instance);
  return startOperation(id, 'DELETE', undefined, 'instances.delete', env);
}

export function getOperation(_request: SandboxRequest, params: Params, env: SqlEnv): object {
  const record = env.operations.get(`${params.project}/${params.operation}`);
  if (!record) throw sqlError.operationNotFound();
  return renderOperation(record.data);
}

export function listOperations(request: SandboxRequest, params: Params, env: SqlEnv): object {
  const instance = request.query.get('instance');
  const items = env.operations
    .values()
    .map((record) => record.data)
    .filter((op) => op.targetProject === params.project && (!instance || op.targetId === instance))
    .reverse()
    .map(renderOperation);
  return { kind: 'sql#operationsList', ...(items.length > 0 ? { items } : {}) };
}

/**
 * Moves operations PENDING (as the write answers) → RUNNING (from the next millisecond) → DONE after
 * the operation delay, applying what they do when they finish (called before every request).
 */
export function settleCloudSql(env: SqlEnv): void {
  const now = env.ctx.now();
  for (const [opId, record] of env.operations.entries()) {
    const operation = record.data;
    if (operation.status === 'DONE') continue;
    if (now >= operation._sandbox.doneAt) finishOperation(opId, env, now);
    else if (operation.status === 'PENDING' && now >= operation._sandbox.startAt) {
      env.operations.put(opId, {
        ...structuredClone(operation),
        status: 'RUNNING',
        startTime: timestamp(now),
      });
    }
  }
}

/** Console action: the running operation on an instance fails (its change is not applied). */
export function failOperation(instance: string, env: SqlEnv): void {
  const record = env.instances.get(instance);
  const opId = record?.data._sandbox.operation;
  if (!record || !opId) {
    throw new ApiError(400, 'invalid', `Instance ${instance} has no operation running to fail.`);
  }
  finishOperation(opId, env, env.ctx.now(), {
    code: 'INTERNAL_ERROR',
    message: 'An internal error has occurred. Please retry the operation.',
  });
}

/** Console action: the running operation on an instance finishes now (as if its delay had passed). */
export function completeOperation(instance: string, env: SqlEnv): void {
  const opId = env.instances.get(instance)?.data._sandbox.operation;
  if (!opId) throw new ApiError(400, 'invalid', `Instance ${instance} has no operation running to complete.`);
  finishOperation(opId, env, env.ctx.now());
}

/** Console hook: a console edit of an instance is a settings change, so settingsVersion moves. */
export function afterConsoleWrite(id: string, env: SqlEnv): void {
  const record = env.instances.get(id);
  if (!record) return;
  const instance = structuredClone(record.data);
  instance.settings.settingsVersion = String(Number(instance.settings.settingsVersion) + 1);
  env.instances.put(id, instance);
}

function finishOperation(
  opId: string,
  env: SqlEnv,
  now: number,
  failure?: { code: string; message: string },
): void {
  const operation = structuredClone((env.operations.get(opId) as { data: SqlOperation }).data);
  const instanceRecord = env.instances.get(operation._sandbox.instanceId);
  operation.status = 'DONE';
  operation.startTime ??= timestamp(now);
  operation.endTime = timestamp(now);
  if (failure) {
    operation.error = {
      kind: 'sql#operationErrors',
      errors: [{ kind: 'sql#operationError', ...failure }],
    };
  }
  env.operations.put(opId, operation);
  if (!instanceRecord) return;
  const instance = structuredClone(instanceRecord.data);
  delete instance._sandbox.operation;
  if (operation.operationType === 'DELETE' && !failure) {
    env.instances.delete(operation._sandbox.instanceId);
    return;
  }
  if (operation.operationType === 'DELETE') instance.state = 'RUNNABLE';
  if (operation.operationType === 'CREATE') {
    instance.state = failure ? 'FAILED' : 'RUNNABLE';
    if (!failure) instance.ipAddresses = [{ type: 'PRIMARY', ipAddress: '10.20.0.3' }];
  }
  if (operation.operationType === 'UPDATE' && operation._sandbox.patch && !failure) {
    const merged = mergePatch(instance.settings, operation._sandbox.patch) as SqlSettings;
    merged.settingsVersion = String(Number(instance.settings.settingsVersion) + 1);
    instance.settings = merged;
  }
  env.instances.put(operation._sandbox.instanceId, instance);
}

function startOperation(
  instanceIdValue: string,
  type: SqlOperation['operationType'],
  patch: Record<string, unknown> | undefined,
  operationName: string,
  env: SqlEnv,
): object {
  const [project, instance] = instanceIdValue.split('/') as [string, string];
  const now = env.ctx.now();
  const delay = env.ctx.operationDelayMs(operationName);
  const name = randomUUID();
  const operation: SqlOperation = {
    kind: 'sql#operation',
    name,
    operationType: type,
    status: 'PENDING',
    targetId: instance,
    targetProject: project,
    targetLink: env.link(`projects/${project}/instances/${instance}`),
    selfLink: env.link(`projects/${project}/operations/${name}`),
    user: 'sandbox@patchbay.dev',
    insertTime: timestamp(now),
    _sandbox: {
      instanceId: instanceIdValue,
      startAt: now + Math.min(1, delay),
      doneAt: now + delay,
      ...(patch ? { patch } : {}),
    },
  };
  env.operations.put(`${project}/${name}`, operation);
  const record = env.instances.get(instanceIdValue) as { data: SqlInstance };
  const locked = structuredClone(record.data);
  locked._sandbox.operation = `${project}/${name}`;
  env.instances.put(instanceIdValue, locked);
  return renderOperation(operation);
}

function renderInstance(id: string, env: SqlEnv): Record<string, unknown> {
  const record = env.instances.get(id);
  if (!record) throw sqlError.instanceNotFound();
  const { _sandbox, ...wire } = record.data;
  return { ...wire, etag: etagOf(id, record.generation) };
}

function renderOperation(operation: SqlOperation): Record<string, unknown> {
  const { _sandbox, ...wire } = operation;
  return wire;
}

function checkIdentity(input: InstanceInput, current: SqlInstance): void {
  if (input.name !== undefined && input.name !== current.name) {
    throw sqlError.invalid(`the instance name is immutable (URL ${current.name}, body ${input.name}).`);
  }
  if (input.region !== undefined && input.region !== current.region) {
    throw sqlError.invalid(`region is create-only (current ${current.region}, requested ${input.region}).`);
  }
  if (input.databaseVersion !== undefined) {
    const requested = sqlEnum(DATABASE_VERSIONS, input.databaseVersion, 'databaseVersion');
    if (requested !== current.databaseVersion) {
      throw sqlError.invalid(
        `databaseVersion is create-only in the sandbox (current ${current.databaseVersion}, requested ${requested}); a major version upgrade is a separate, deliberate operation.`,
      );
    }
  }
}

function checkTier(tier: string, databaseVersion: string): void {
  if (!TIER.test(tier)) {
    throw sqlError.invalid(
      `Invalid Tier (${tier}) for (${databaseVersion}) Edition. Use e.g. db-f1-micro, db-custom-2-7680.`,
    );
  }
  if (databaseVersion.startsWith('SQLSERVER') && /^db-(f1-micro|g1-small)$/.test(tier)) {
    throw sqlError.invalid(
      `Invalid Tier (${tier}) for (${databaseVersion}): SQL Server needs a dedicated-core tier.`,
    );
  }
}

function sqlEnum(values: Record<string, number>, value: unknown, field: string): string {
  try {
    return enumName(values, value, field);
  } catch (error) {
    throw sqlError.invalid(error instanceof Error ? error.message : String(error));
  }
}

function withoutNulls(labels: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

function instanceId(params: Params): string {
  return `${params.project}/${params.instance}`;
}
