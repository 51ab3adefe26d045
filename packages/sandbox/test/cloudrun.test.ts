import { v2 } from '@google-cloud/run';
import { googleClientOptions, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let run: v2.ServicesClient;

const parent = 'projects/p/locations/europe-west1';
const nameOf = (id: string) => `${parent}/services/${id}`;
const template = (image: string) => ({ containers: [{ image, ports: [{ containerPort: 8080 }] }] });

/** Waits (without timing assertions) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20 });
  run = new v2.ServicesClient(googleClientOptions(sandbox));
});

afterAll(async () => {
  await run.close();
  await sandbox.close();
});

describe('Cloud Run services', () => {
  it('creates a service as a long-running operation with server-set fields', async () => {
    const [operation] = await run.createService({
      parent,
      serviceId: 'web',
      service: { labels: { team: 'core' }, template: template('nginx:1') },
    });
    expect(operation.done).toBe(false);
    expect(operation.name).toMatch(/^projects\/p\/locations\/europe-west1\/operations\//);
    const [done] = await operation.promise();
    // op.promise() decodes the raw message (Long int64s, numeric enums); getService answers plain JSON.
    expect(String(done.generation)).toBe('1');
    const [service] = await run.getService({ name: nameOf('web') });
    expect(service).toMatchObject({
      name: nameOf('web'),
      generation: '1',
      observedGeneration: '1',
      reconciling: false,
      labels: { team: 'core' },
      ingress: 'INGRESS_TRAFFIC_ALL',
      terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
    });
    expect(service.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(service.etag).toBeTruthy();
    expect(service.latestReadyRevision).toMatch(/^web-00001-[a-z]{3}$/);
    expect(service.latestCreatedRevision).toBe(service.latestReadyRevision);
    expect(service.uri).toMatch(/^https:\/\/web-.*\.run\.app$/);
    expect(service.createTime?.seconds).toBeTruthy();
    expect(done.etag).toBe(service.etag);
  });

  it('answers ALREADY_EXISTS for a duplicate and NOT_FOUND (code 5) for a missing service', async () => {
    await expect(
      run.createService({ parent, serviceId: 'web', service: { template: template('nginx:1') } }),
    ).rejects.toMatchObject({ code: 6 });
    await expect(run.getService({ name: nameOf('ghost') })).rejects.toMatchObject({
      code: 5,
      message: expect.stringContaining("Resource 'ghost' of kind 'SERVICE'"),
    });
  });

  it('updates with an update mask, bumping generation and etag, with a new revision for a new template', async () => {
    const [before] = await run.getService({ name: nameOf('web') });
    const [operation] = await run.updateService({
      service: { name: nameOf('web'), labels: { team: 'core', tier: 'web' }, etag: before.etag },
      updateMask: { paths: ['labels'] },
    });
    const [labelled] = await operation.promise();
    expect(labelled.labels).toEqual({ team: 'core', tier: 'web' });
    expect(String(labelled.generation)).toBe('2');
    expect(labelled.latestReadyRevision).toBe(before.latestReadyRevision);
    expect(labelled.template?.containers?.[0]?.image).toBe('nginx:1');
    expect(labelled.etag).not.toBe(before.etag);

    const [deploy] = await run.updateService({
      service: {
        ...labelled,
        template: { ...labelled.template, revision: '', containers: [{ image: 'nginx:2' }] },
      },
    });
    const [deployed] = await deploy.promise();
    expect(deployed.latestReadyRevision).toMatch(/^web-00002-[a-z]{3}$/);
    expect(deployed.template?.containers?.[0]?.image).toBe('nginx:2');
    expect(String(deployed.generation)).toBe('3');
  });

  it('rejects a stale etag with ABORTED (409) on update and delete', async () => {
    const [current] = await run.getService({ name: nameOf('web') });
    const stale = current.etag;
    const [op] = await run.updateService({
      service: { name: nameOf('web'), description: 'v1' },
      updateMask: { paths: ['description'] },
    });
    await op.promise();
    await expect(
      run.updateService({
        service: { name: nameOf('web'), description: 'v2', etag: stale },
        updateMask: { paths: ['description'] },
      }),
    ).rejects.toMatchObject({ code: 10 });
    await expect(run.deleteService({ name: nameOf('web'), etag: stale })).rejects.toMatchObject({ code: 10 });
  });

  it('rejects a changed template that keeps an existing revision name (409)', async () => {
    const [current] = await run.getService({ name: nameOf('web') });
    expect(current.template?.revision).toBeFalsy();
    await expect(
      run.updateService({
        service: {
          ...current,
          template: {
            ...current.template,
            revision: current.latestReadyRevision,
            containers: [{ image: 'nginx:3' }],
          },
        },
      }),
    ).rejects.toMatchObject({ code: 6, message: expect.stringContaining('already exists') });
  });

  it('rejects reserved label prefixes and a missing template with INVALID_ARGUMENT', async () => {
    await expect(
      run.createService({
        parent,
        serviceId: 'bad',
        service: { labels: { 'run.googleapis.com/x': 'y' }, template: template('nginx:1') },
      }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('run.googleapis.com/') });
    await expect(
      run.createService({
        parent,
        serviceId: 'bad',
        service: { template: { labels: { 'serving.knative.dev/x': 'y' }, ...template('x') } },
      }),
    ).rejects.toMatchObject({ code: 3 });
    await expect(run.createService({ parent, serviceId: 'bad', service: {} })).rejects.toMatchObject({
      code: 3,
    });
    await expect(
      run.createService({ parent, serviceId: 'Bad_Name', service: { template: template('x') } }),
    ).rejects.toMatchObject({ code: 3 });
  });

  it('creates on update with allowMissing, and answers NOT_FOUND without it', async () => {
    await expect(
      run.updateService({ service: { name: nameOf('lazy'), template: template('nginx:1') } }),
    ).rejects.toMatchObject({ code: 5 });
    const [op] = await run.updateService({
      service: { name: nameOf('lazy'), template: template('nginx:1') },
      allowMissing: true,
    });
    const [service] = await op.promise();
    expect(service).toMatchObject({ name: nameOf('lazy'), reconciling: false });
    expect(String(service.generation)).toBe('1');
  });

  it('lists services in a location, page by page', async () => {
    const [services] = await run.listServices({ parent }, { autoPaginate: true });
    expect(services.map((s) => s.name).sort()).toEqual([nameOf('lazy'), nameOf('web')]);
    const [firstPage, , response] = await run.listServices({ parent, pageSize: 1 }, { autoPaginate: false });
    expect(firstPage).toHaveLength(1);
    expect(response?.nextPageToken).toBe('1');
    const [elsewhere] = await run.listServices({ parent: 'projects/p/locations/us-central1' });
    expect(elsewhere).toEqual([]);
  });

  it('deletes with the current etag; the operation returns the deleted service', async () => {
    const [current] = await run.getService({ name: nameOf('lazy') });
    const [op] = await run.deleteService({ name: nameOf('lazy'), etag: current.etag });
    const [deleted] = await op.promise();
    expect(deleted.name).toBe(nameOf('lazy'));
    expect(deleted.deleteTime?.seconds).toBeTruthy();
    await expect(run.getService({ name: nameOf('lazy') })).rejects.toMatchObject({ code: 5 });
    await expect(run.deleteService({ name: nameOf('lazy') })).rejects.toMatchObject({ code: 5 });
  });

  it('checkUpdateServiceProgress and getOperation report the same finished operation', async () => {
    const [op] = await run.updateService({
      service: { name: nameOf('web'), description: 'x' },
      updateMask: { paths: ['description'] },
    });
    await op.promise();
    const progress = await run.checkUpdateServiceProgress(op.name!);
    expect(progress.done).toBe(true);
    expect((progress.result as { description?: string }).description).toBe('x');
  });
});

describe('Cloud Run console, faults and counters', () => {
  it('a console label edit changes the etag, so a write with the old etag is ABORTED', async () => {
    const [before] = await run.getService({ name: nameOf('web') });
    sandbox.console.tag('cloudrun', 'service', nameOf('web'), 'owner', 'ana');
    const [after] = await run.getService({ name: nameOf('web') });
    expect(after.labels?.owner).toBe('ana');
    expect(after.etag).not.toBe(before.etag);
    await expect(
      run.updateService({ service: { ...before }, updateMask: { paths: ['labels'] } }),
    ).rejects.toMatchObject({ code: 10 });
  });

  it('a console template edit makes a new revision', async () => {
    const [before] = await run.getService({ name: nameOf('web') });
    sandbox.console.edit('cloudrun', 'service', nameOf('web'), {
      template: { containers: [{ image: 'nginx:console' }] },
    });
    const [after] = await run.getService({ name: nameOf('web') });
    expect(after.latestReadyRevision).not.toBe(before.latestReadyRevision);
    expect(Number(after.generation)).toBe(Number(before.generation) + 1);
  });

  it('surfaces a throttled write as RESOURCE_EXHAUSTED (8) without retrying it', async () => {
    const before = sandbox.counters.get('cloudrun', 'UpdateService');
    sandbox.faults.set([{ api: 'cloudrun', operation: 'UpdateService', throttleRate: 1 }]);
    try {
      const failure = await run
        .updateService({
          service: { name: nameOf('web'), description: 'y' },
          updateMask: { paths: ['description'] },
        })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({
        code: 8,
        reason: 'RATE_LIMIT_EXCEEDED',
        message: expect.stringContaining('Quota exceeded'),
      });
    } finally {
      sandbox.faults.clear();
    }
    expect(sandbox.counters.detail('cloudrun', 'UpdateService')).toMatchObject({
      calls: expect.any(Number),
      throttled: 1,
    });
    expect(sandbox.counters.get('cloudrun', 'UpdateService')).toBe(before + 1);
  });

  it('retries a read answered with UNAVAILABLE (14) and succeeds once the fault clears', async () => {
    const before = sandbox.counters.detail('cloudrun', 'GetService');
    sandbox.faults.set([{ api: 'cloudrun', operation: 'GetService', errorRate: 1 }]);
    const pending = run.getService({ name: nameOf('web') });
    await until(() => sandbox.counters.detail('cloudrun', 'GetService').faulted > before.faulted);
    sandbox.faults.clear();
    const [service] = await pending;
    expect(service.name).toBe(nameOf('web'));
    const after = sandbox.counters.detail('cloudrun', 'GetService');
    expect(after.faulted).toBe(before.faulted + 1);
    expect(after.calls).toBe(before.calls + 2);
  });

  it('rejects unknown fields and a name change on the raw REST surface', async () => {
    const response = await fetch(`${sandbox.url}/v2/${nameOf('web')}?updateMask=labels`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ labels: {}, colour: 'blue' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(body.error.message).toContain('Unknown name "colour"');
    const renamed = await fetch(`${sandbox.url}/v2/${nameOf('web')}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: nameOf('other'), template: template('x') }),
    });
    expect(renamed.status).toBe(400);
    expect(((await renamed.json()) as { error: { message: string } }).error.message).toContain('immutable');
  });
});
