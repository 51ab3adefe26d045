import { type protos, v1 } from '@google-cloud/sql';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let instances: v1.SqlInstancesServiceClient;
let operations: v1.SqlOperationsServiceClient;
const project = 'p';

type Operation = protos.google.cloud.sql.v1.IOperation;

/** Polls a Cloud SQL operation until DONE, recording every status seen. */
async function wait(operation: Operation, seen: string[] = []): Promise<Operation> {
  let current = operation;
  while (current.status !== 'DONE') {
    seen.push(String(current.status));
    await new Promise((resolve) => setTimeout(resolve, 5));
    [current] = await operations.get({ project, operation: operation.name });
  }
  return current;
}

async function read(instance: string) {
  const [found] = await instances.get({ project, instance });
  return found;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 30 });
  instances = new v1.SqlInstancesServiceClient(googleClientOptions(sandbox));
  operations = new v1.SqlOperationsServiceClient(googleClientOptions(sandbox));
});

afterAll(async () => {
  await instances.close();
  await operations.close();
  await sandbox.close();
});

describe('Cloud SQL instances', () => {
  it('inserts an instance: PENDING_CREATE while its operation goes PENDING → RUNNING → DONE, then RUNNABLE', async () => {
    // A long delay holds the operation open; the console action finishes it (no timing in the test).
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.insert', operationDelayMs: 60_000 }]);
    const [operation] = await instances.insert({
      project,
      body: {
        name: 'db',
        databaseVersion: 'POSTGRES_16',
        region: 'europe-west1',
        rootPassword: 'hunter2-secret',
        settings: { tier: 'db-custom-1-3840', userLabels: { team: 'core' }, dataDiskSizeGb: { value: 20 } },
      },
    });
    sandbox.faults.clear();
    expect(operation).toMatchObject({ operationType: 'CREATE', status: 'PENDING', targetId: 'db' });
    expect((await read('db')).state).toBe('PENDING_CREATE');
    let running = operation;
    while (running.status === 'PENDING')
      [running] = await operations.get({ project, operation: operation.name });
    expect(running.status).toBe('RUNNING');
    expect(running.startTime?.seconds).toBeTruthy();
    await expect(
      instances.patch({ project, instance: 'db', body: { settings: { userLabels: { x: 'y' } } } }),
    ).rejects.toMatchObject({ code: 10 });
    sandbox.console.action('cloudsql', 'instance', 'p/db', 'complete-operation');
    const done = await wait(operation);
    expect(done.error).toBeFalsy();
    expect(done.endTime?.seconds).toBeTruthy();
    const instance = await read('db');
    expect(instance).toMatchObject({
      name: 'db',
      state: 'RUNNABLE',
      databaseVersion: 'POSTGRES_16',
      connectionName: 'p:europe-west1:db',
      settings: {
        tier: 'db-custom-1-3840',
        userLabels: { team: 'core' },
        availabilityType: 'ZONAL',
        dataDiskSizeGb: { value: '20' },
        settingsVersion: { value: '1' },
      },
    });
    expect(JSON.stringify(instance)).not.toContain('hunter2');
  });

  it('answers 409 for a duplicate name and NOT_FOUND (5) for a missing instance', async () => {
    await expect(
      instances.insert({ project, body: { name: 'db', settings: { tier: 'db-f1-micro' } } }),
    ).rejects.toMatchObject({ code: 10, message: expect.stringContaining('already exists') });
    await expect(instances.get({ project, instance: 'ghost' })).rejects.toMatchObject({
      code: 5,
      message: 'The Cloud SQL instance does not exist.',
    });
    await expect(operations.get({ project, operation: 'nope' })).rejects.toMatchObject({ code: 5 });
  });

  it('patches only the fields sent, merging settings and bumping settingsVersion when done', async () => {
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.patch', operationDelayMs: 60_000 }]);
    const before = await read('db');
    const [operation] = await instances.patch({
      project,
      instance: 'db',
      body: {
        settings: {
          settingsVersion: before.settings?.settingsVersion,
          tier: 'db-custom-2-7680',
          availabilityType: 'REGIONAL',
          backupConfiguration: { enabled: { value: true }, startTime: '03:00' },
        },
      },
    });
    expect(operation.operationType).toBe('UPDATE');
    sandbox.faults.clear();
    // The change lands when the operation finishes.
    expect((await read('db')).settings?.tier).toBe('db-custom-1-3840');
    sandbox.console.action('cloudsql', 'instance', 'p/db', 'complete-operation');
    await wait(operation);
    const after = await read('db');
    expect(after.settings).toMatchObject({
      tier: 'db-custom-2-7680',
      availabilityType: 'REGIONAL',
      userLabels: { team: 'core' },
      dataDiskSizeGb: { value: '20' },
      backupConfiguration: { enabled: { value: true }, startTime: '03:00' },
      settingsVersion: { value: '2' },
    });
  });

  it('allows one admin operation per instance at a time: 409 operationInProgress', async () => {
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.patch', operationDelayMs: 60_000 }]);
    const [first] = await instances.patch({
      project,
      instance: 'db',
      body: { settings: { userLabels: { a: '1' } } },
    });
    sandbox.faults.clear();
    await expect(
      instances.patch({ project, instance: 'db', body: { settings: { userLabels: { b: '2' } } } }),
    ).rejects.toMatchObject({
      code: 10,
      message: expect.stringContaining('another operation was already in progress'),
    });
    sandbox.console.action('cloudsql', 'instance', 'p/db', 'complete-operation');
    await wait(first);
    const [second] = await instances.patch({
      project,
      instance: 'db',
      body: { settings: { userLabels: { b: '2' } } },
    });
    await wait(second);
    expect((await read('db')).settings?.userLabels).toEqual({ team: 'core', a: '1', b: '2' });
  });

  it('rejects a stale settingsVersion with 412 (FAILED_PRECONDITION, 9)', async () => {
    const response = await fetch(`${sandbox.url}/v1/projects/p/instances/db`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { settingsVersion: '1', tier: 'db-custom-4-15360' } }),
    });
    expect(response.status).toBe(412);
    expect(await response.json()).toEqual({
      error: {
        code: 412,
        message: 'Condition does not match.',
        errors: [
          {
            message: 'Condition does not match.',
            domain: 'global',
            reason: 'staleData',
            location: 'If-Match',
            locationType: 'header',
          },
        ],
      },
    });
    await expect(
      instances.patch({
        project,
        instance: 'db',
        body: { settings: { settingsVersion: { value: 1 }, tier: 'db-custom-4-15360' } },
      }),
    ).rejects.toMatchObject({ code: 9, message: 'Condition does not match.' });
  });

  it('keeps databaseVersion, name and region create-only and the disk from shrinking', async () => {
    await expect(
      instances.patch({ project, instance: 'db', body: { databaseVersion: 'POSTGRES_17' } }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('databaseVersion is create-only') });
    await expect(
      instances.patch({ project, instance: 'db', body: { region: 'us-east1' } }),
    ).rejects.toMatchObject({
      code: 3,
    });
    await expect(
      instances.patch({ project, instance: 'db', body: { settings: { dataDiskSizeGb: { value: 10 } } } }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('cannot be decreased') });
    await expect(
      instances.patch({ project, instance: 'db', body: { settings: { tier: 'tiny' } } }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('Invalid Tier') });
    const [grow] = await instances.patch({
      project,
      instance: 'db',
      body: { settings: { dataDiskSizeGb: { value: 50 } } },
    });
    await wait(grow);
    expect((await read('db')).settings?.dataDiskSizeGb?.value).toBe('50');
  });

  it('lists instances and operations', async () => {
    const [list] = await instances.list({ project });
    expect(list.items?.map((i) => i.name)).toEqual(['db']);
    const [ops] = await operations.list({ project, instance: 'db' });
    expect(ops.items?.[0]?.operationType).toBe('UPDATE');
    expect(ops.items?.at(-1)?.operationType).toBe('CREATE');
    expect(ops.items?.every((op) => op.status === 'DONE')).toBe(true);
  });

  it('deletes an instance through an operation', async () => {
    const [created] = await instances.insert({
      project,
      body: { name: 'tmp', settings: { tier: 'db-f1-micro' } },
    });
    await wait(created);
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.delete', operationDelayMs: 60_000 }]);
    const [operation] = await instances.delete({ project, instance: 'tmp' });
    sandbox.faults.clear();
    expect(operation.operationType).toBe('DELETE');
    expect((await read('tmp')).state).toBe('PENDING_DELETE');
    sandbox.console.action('cloudsql', 'instance', 'p/tmp', 'complete-operation');
    await wait(operation);
    await expect(instances.get({ project, instance: 'tmp' })).rejects.toMatchObject({ code: 5 });
  });
});

describe('Cloud SQL console, faults and counters', () => {
  it('a console label edit moves settingsVersion, so a patch with the old one is stale', async () => {
    const before = await read('db');
    sandbox.console.tag('cloudsql', 'instance', 'p/db', 'owner', 'ana');
    const after = await read('db');
    expect(after.settings?.userLabels?.owner).toBe('ana');
    expect(Number(after.settings?.settingsVersion?.value)).toBe(
      Number(before.settings?.settingsVersion?.value) + 1,
    );
    expect(after.etag).not.toBe(before.etag);
    await expect(
      instances.patch({
        project,
        instance: 'db',
        body: { settings: { settingsVersion: before.settings?.settingsVersion, tier: 'db-custom-1-3840' } },
      }),
    ).rejects.toMatchObject({ code: 9 });
  });

  it('reports a failed operation with error, leaving settings unchanged', async () => {
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.patch', operationDelayMs: 60_000 }]);
    try {
      const [operation] = await instances.patch({
        project,
        instance: 'db',
        body: { settings: { tier: 'db-custom-8-30720' } },
      });
      sandbox.console.action('cloudsql', 'instance', 'p/db', 'fail-operation');
      const done = await wait(operation);
      expect(done.error?.errors?.[0]).toMatchObject({ code: 'INTERNAL_ERROR' });
      expect((await read('db')).settings?.tier).not.toBe('db-custom-8-30720');
    } finally {
      sandbox.faults.clear();
    }
  });

  it('surfaces throttling as RESOURCE_EXHAUSTED (8) and a 503 as UNAVAILABLE (14); neither is retried', async () => {
    const before = sandbox.counters.get('cloudsql', 'instances.get');
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.get', throttleRate: 1 }]);
    await expect(instances.get({ project, instance: 'db' })).rejects.toMatchObject({
      code: 8,
      reason: 'RATE_LIMIT_EXCEEDED',
    });
    sandbox.faults.set([{ api: 'cloudsql', operation: 'instances.get', errorRate: 1 }]);
    await expect(instances.get({ project, instance: 'db' })).rejects.toMatchObject({ code: 14 });
    sandbox.faults.clear();
    // The Cloud SQL client's default retry codes are empty, even for reads.
    expect(sandbox.counters.detail('cloudsql', 'instances.get')).toMatchObject({ throttled: 1, faulted: 1 });
    expect(sandbox.counters.get('cloudsql', 'instances.get')).toBe(before + 2);
  });

  it('rejects unknown fields naming them', async () => {
    const response = await fetch(`${sandbox.url}/v1/projects/p/instances/db`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { tier: 'db-f1-micro', colour: 'blue' } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('Unknown name "colour" at \'body.settings\'');
  });
});
