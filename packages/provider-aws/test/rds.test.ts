import { RDSClient } from '@aws-sdk/client-rds';
import {
  type Attributes,
  ConflictError,
  type Provider,
  type ResourceRef,
  ValidationError,
} from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';

let sandbox: Sandbox;
const ctx = callContext();
let counter = 0;

const desired: Attributes = {
  engine: 'postgres',
  engineVersion: '16.4',
  instanceClass: 'db.t4g.micro',
  allocatedStorage: 20,
  multiAz: false,
  backupRetentionPeriod: 7,
  deletionProtection: false,
  tags: { team: 'data' },
};

/** A fresh instance name per test, so tests do not share state. */
function dbRef(): ResourceRef {
  counter += 1;
  return {
    id: `db/main${counter}`,
    type: 'aws.rds.instance',
    name: `prod-main${counter}`,
    environment: 'prod',
  };
}

function provider(
  rds: { applyImmediately?: boolean; skipFinalSnapshot?: boolean } = {},
  clients?: { rds: RDSClient },
): Provider {
  const config = awsClientConfig(sandbox);
  return aws({ ...config, maxAttempts: 1, pollIntervalMs: 2, rds, clients });
}

function rdsType(p = provider()) {
  return p.types['aws.rds.instance']!;
}

async function created(ref: ResourceRef, attributes = desired, p = provider()) {
  const result = await rdsType(p).create({ ref, attributes, idempotencyToken: ref.id }, ctx);
  return { ...ref, physicalId: result.physicalId! };
}

function record(ref: ResourceRef) {
  return sandbox.console.get('rds', 'dbInstance', ref.name)!.data as Record<string, unknown>;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 5 });
});

afterAll(async () => {
  await sandbox.close();
});

describe('aws.rds.instance (sandbox)', () => {
  it('creates postgres with an AWS-managed master password and ownership tags; observe equals desired', async () => {
    const ref = dbRef();
    const result = await rdsType().create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    expect(result.outputs).toMatchObject({
      arn: expect.stringContaining(`:db:${ref.name}`),
      endpoint: expect.any(String),
      port: 5432,
      masterUserSecretArn: expect.stringMatching(/^arn:aws:secretsmanager:/),
    });
    const observed = await rdsType().observe({ ...ref, physicalId: result.physicalId! }, ctx);
    const owned = Object.fromEntries(Object.keys(desired).map((k) => [k, observed!.attributes[k]]));
    expect(owned).toEqual(desired);
    expect(observed!.attributes.masterUsername).toBe('patchbay');
    expect(observed!.pending).toBeUndefined();
    expect(JSON.stringify(observed)).not.toMatch(/password/i);
    const tags = record(ref).TagList as { Key: string; Value: string }[];
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'patchbay:environment', Value: 'prod' },
        { Key: 'patchbay:logical-id', Value: ref.id },
      ]),
    );
    expect(ctx.messages).toContain(`RDS instance ${ref.name}: available`);
  });

  it('adopts an instance a crashed earlier create left (same ownership tags) instead of failing', async () => {
    const ref = await created(dbRef());
    const again = await rdsType().create(
      { ref: { ...ref, physicalId: undefined }, attributes: desired, idempotencyToken: 'tok' },
      ctx,
    );
    expect(again.physicalId).toBe(ref.name);
    const foreign = { ...ref, id: 'db/other', physicalId: undefined };
    await expect(
      rdsType().create({ ref: foreign, attributes: desired, idempotencyToken: 'x' }, ctx),
    ).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('sends one ModifyDBInstance with only the changed field and ApplyImmediately false; the value shows as pending', async () => {
    const ref = await created(dbRef());
    sandbox.counters.reset();
    await rdsType().patch(
      ref,
      [{ attribute: 'instanceClass', from: 'db.t4g.micro', to: 'db.t4g.small' }],
      { kind: 'read-before-write', expected: { instanceClass: 'db.t4g.micro' } },
      ctx,
    );
    expect(sandbox.counters.get('rds', 'ModifyDBInstance')).toBe(1);
    const observed = await rdsType().observe(ref, ctx);
    expect(observed!.attributes.instanceClass).toBe('db.t4g.micro');
    expect(observed!.pending).toEqual({ instanceClass: 'db.t4g.small' });
    // The same value again is already requested: nothing is sent.
    await rdsType().patch(
      ref,
      [{ attribute: 'instanceClass', from: 'db.t4g.micro', to: 'db.t4g.small' }],
      { kind: 'read-before-write', expected: { instanceClass: 'db.t4g.micro' } },
      ctx,
    );
    expect(sandbox.counters.get('rds', 'ModifyDBInstance')).toBe(1);
    // The maintenance window applies it (instantly here: no operation delay, so the next read settles it).
    sandbox.faults.add({ api: 'rds', operation: 'ModifyDBInstance', operationDelayMs: 0 });
    try {
      sandbox.console.action('rds', 'dbInstance', ref.name, 'apply-pending');
      const applied = await rdsType().observe(ref, ctx);
      expect(applied!.attributes.instanceClass).toBe('db.t4g.small');
      expect(applied!.pending).toBeUndefined();
    } finally {
      sandbox.faults.set([]);
    }
  });

  it('sends exactly the changed parameters (spied at the client)', async () => {
    const ref = await created(dbRef());
    const sent: Record<string, unknown>[] = [];
    const spy = new RDSClient({ ...awsClientConfig(sandbox), maxAttempts: 1 });
    spy.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ModifyDBInstanceCommand')
          sent.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize' },
    );
    const p = provider({ applyImmediately: true }, { rds: spy });
    await rdsType(p).patch(
      ref,
      [
        { attribute: 'allocatedStorage', from: 20, to: 50 },
        { attribute: 'multiAz', from: false, to: false },
      ],
      { kind: 'read-before-write', expected: { allocatedStorage: 20, multiAz: false } },
      ctx,
    );
    expect(sent).toEqual([{ DBInstanceIdentifier: ref.name, ApplyImmediately: true, AllocatedStorage: 50 }]);
    // applyImmediately waits until the instance is available again with the new value.
    expect((await rdsType().observe(ref, ctx))!.attributes.allocatedStorage).toBe(50);
    spy.destroy();
  });

  it('aborts with ConflictError when the console changed the attribute; nothing is written', async () => {
    const ref = await created(dbRef());
    sandbox.console.edit('rds', 'dbInstance', ref.name, { BackupRetentionPeriod: 14 });
    sandbox.counters.reset();
    const attempt = rdsType().patch(
      ref,
      [{ attribute: 'backupRetentionPeriod', from: 7, to: 3 }],
      { kind: 'read-before-write', expected: { backupRetentionPeriod: 7 } },
      ctx,
    );
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({
      attribute: 'backupRetentionPeriod',
      expected: 7,
      actual: 14,
    });
    expect(sandbox.counters.get('rds', 'ModifyDBInstance')).toBe(0);
    expect(record(ref).BackupRetentionPeriod).toBe(14);
  });

  it('changes tags per key with AddTagsToResource / RemoveTagsFromResource, no ModifyDBInstance', async () => {
    const ref = await created(dbRef());
    sandbox.console.tag('rds', 'dbInstance', ref.name, 'console', 'kept');
    sandbox.counters.reset();
    await rdsType().patch(
      ref,
      [
        { attribute: 'tags.team', from: 'data', to: undefined },
        { attribute: 'tags.tier', from: undefined, to: 'gold' },
      ],
      { kind: 'read-before-write', expected: { 'tags.team': 'data' } },
      ctx,
    );
    expect(sandbox.counters.get('rds', 'ModifyDBInstance')).toBe(0);
    expect(sandbox.counters.get('rds', 'AddTagsToResource')).toBe(1);
    expect(sandbox.counters.get('rds', 'RemoveTagsFromResource')).toBe(1);
    expect((await rdsType().observe(ref, ctx))!.attributes.tags).toEqual({ console: 'kept', tier: 'gold' });
  });

  it('reports a CloudFormation-tagged instance as externally managed and never patches it', async () => {
    const ref = await created(dbRef());
    sandbox.console.tag('rds', 'dbInstance', ref.name, 'aws:cloudformation:stack-name', 'db-stack');
    const observed = await rdsType().observe(ref, ctx);
    expect(observed!.managedBy).toBe('cloudformation:db-stack');
    sandbox.counters.reset();
    await expect(
      rdsType().patch(
        ref,
        [{ attribute: 'multiAz', from: false, to: true }],
        { kind: 'read-before-write', expected: {} },
        ctx,
      ),
    ).rejects.toMatchObject({ kind: 'fatal' });
    expect(sandbox.counters.get('rds', 'ModifyDBInstance')).toBe(0);
  });

  it('classifies a busy instance (InvalidDBInstanceState) as transient', async () => {
    const ref = await created(dbRef());
    await rdsType().patch(
      ref,
      [{ attribute: 'multiAz', from: false, to: true }],
      { kind: 'read-before-write', expected: { multiAz: false } },
      ctx,
    );
    // The maintenance window starts applying, slowly: the instance is `modifying` meanwhile.
    sandbox.faults.add({ api: 'rds', operation: 'ModifyDBInstance', operationDelayMs: 600_000 });
    try {
      sandbox.console.action('rds', 'dbInstance', ref.name, 'apply-pending');
      const error = await rdsType()
        .patch(
          ref,
          [{ attribute: 'allocatedStorage', from: 20, to: 30 }],
          { kind: 'read-before-write', expected: { allocatedStorage: 20 } },
          ctx,
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: 'transient',
        operation: 'ModifyDBInstance',
        cause: { name: 'InvalidDBInstanceStateFault' },
      });
    } finally {
      sandbox.faults.set([]);
    }
  });

  it('treats a missing instance as absent, throttling as throttled', async () => {
    expect(await rdsType().observe(dbRef(), ctx)).toBeUndefined();
    sandbox.faults.add({ api: 'rds', operation: 'DescribeDBInstances', throttleRate: 1 });
    try {
      await expect(rdsType().observe(dbRef(), ctx)).rejects.toMatchObject({ kind: 'throttled' });
    } finally {
      sandbox.faults.set([]);
    }
  });

  it('deletes with a final snapshot by default, or without when configured, and waits until gone', async () => {
    for (const skip of [false, true]) {
      const p = provider({ skipFinalSnapshot: skip });
      const ref = await created(dbRef(), desired, p);
      await rdsType(p).delete!(ref, ctx);
      expect(await rdsType(p).observe(ref, ctx)).toBeUndefined();
    }
  });

  it('refuses to delete a protected instance (fatal, AWS code kept)', async () => {
    const ref = await created(dbRef(), { ...desired, deletionProtection: true });
    await expect(rdsType().delete!(ref, ctx)).rejects.toMatchObject({
      kind: 'fatal',
      operation: 'DeleteDBInstance',
    });
    expect(await rdsType().observe(ref, ctx)).toBeDefined();
  });

  it('rejects bad input before any call', async () => {
    sandbox.counters.reset();
    const attempt = rdsType().create(
      {
        ref: dbRef(),
        attributes: { ...desired, engine: 'mysql', allocatedStorage: 5, backupRetentionPeriod: 99 },
        idempotencyToken: 'tok',
      },
      ctx,
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as ValidationError;
    expect(error.issues.map((i) => i.path[0])).toEqual([
      'engine',
      'allocatedStorage',
      'backupRetentionPeriod',
    ]);
    expect(sandbox.counters.total('rds')).toBe(0);
  });
});
