import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { type Attributes, ConflictError, type ResourceRef, ValidationError } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';
import { awsError, type FakeClient, fakeClient } from './fake-client.js';

const ref: ResourceRef = { id: 'db/main', type: 'aws.rds.instance', name: 'prod-main', environment: 'prod' };
const desired: Attributes = {
  engine: 'postgres',
  engineVersion: '16.4',
  instanceClass: 'db.t4g.micro',
  allocatedStorage: 20,
  multiAz: false,
  backupRetentionPeriod: 7,
  deletionProtection: true,
  tags: { team: 'data' },
};

/** A minimal in-memory RDS: enough state to check what the provider sends and reads back. */
function fakeRds(): FakeClient & {
  db: () => DBInstance | undefined;
  set: (patch: Partial<DBInstance>) => void;
} {
  let db: DBInstance | undefined;
  const notFound = () => awsError('DBInstanceNotFoundFault', 'DBInstance prod-main not found.', 404);
  const client = fakeClient({
    DescribeDBInstances: () => {
      if (!db) throw notFound();
      const out = structuredClone(db);
      // Creating → available on the second read, like a (very fast) real instance.
      if (db.DBInstanceStatus !== 'available') db.DBInstanceStatus = 'available';
      return { DBInstances: [out] };
    },
    CreateDBInstance: (input) => {
      if (db) throw awsError('DBInstanceAlreadyExistsFault', 'DB instance already exists');
      db = {
        DBInstanceIdentifier: input.DBInstanceIdentifier as string,
        DBInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:${input.DBInstanceIdentifier}`,
        DBInstanceStatus: 'creating',
        Engine: input.Engine as string,
        EngineVersion: input.EngineVersion as string,
        DBInstanceClass: input.DBInstanceClass as string,
        AllocatedStorage: input.AllocatedStorage as number,
        MultiAZ: input.MultiAZ as boolean,
        BackupRetentionPeriod: input.BackupRetentionPeriod as number,
        DeletionProtection: input.DeletionProtection as boolean,
        MasterUsername: input.MasterUsername as string,
        Endpoint: { Address: 'prod-main.abc.us-east-1.rds.amazonaws.com', Port: 5432 },
        MasterUserSecret: {
          SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1',
          SecretStatus: 'active',
        },
        TagList: input.Tags as DBInstance['TagList'],
        PendingModifiedValues: {},
      };
      return { DBInstance: db };
    },
    ModifyDBInstance: (input) => {
      if (!db) throw notFound();
      if (db.DBInstanceStatus !== 'available')
        throw awsError('InvalidDBInstanceStateFault', 'Instance is not available');
      const fields = [
        'DBInstanceClass',
        'AllocatedStorage',
        'MultiAZ',
        'BackupRetentionPeriod',
        'DeletionProtection',
        'EngineVersion',
      ] as const;
      for (const f of fields) {
        if (input[f] === undefined) continue;
        // Like RDS: DeletionProtection is immediate; the rest waits for the window unless ApplyImmediately.
        if (input.ApplyImmediately || f === 'DeletionProtection')
          (db as Record<string, unknown>)[f] = input[f];
        else (db.PendingModifiedValues as Record<string, unknown>)[f] = input[f];
      }
      return { DBInstance: db };
    },
    AddTagsToResource: (input) => {
      const tags = new Map((db!.TagList ?? []).map((t) => [t.Key!, t.Value!]));
      for (const t of input.Tags as { Key: string; Value: string }[]) tags.set(t.Key, t.Value);
      db!.TagList = [...tags].map(([Key, Value]) => ({ Key, Value }));
      return {};
    },
    RemoveTagsFromResource: (input) => {
      db!.TagList = (db!.TagList ?? []).filter((t) => !(input.TagKeys as string[]).includes(t.Key!));
      return {};
    },
    DeleteDBInstance: () => {
      db = undefined;
      return {};
    },
  });
  return Object.assign(client, {
    db: () => db,
    set: (patch: Partial<DBInstance>) => {
      db = { ...db!, ...patch };
    },
  });
}

function setup(rdsOptions: { applyImmediately?: boolean; skipFinalSnapshot?: boolean } = {}) {
  const rds = fakeRds();
  const provider = aws({
    region: 'us-east-1',
    clients: { rds: rds as unknown as RDSClient },
    pollIntervalMs: 0,
    rds: rdsOptions,
  });
  return { rds, type: provider.types['aws.rds.instance']! };
}

const ctx = callContext();

describe('aws.rds.instance', () => {
  it('creates postgres with an AWS-managed master password and ownership tags, then observes equal to desired', async () => {
    const { rds, type } = setup();
    const created = await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    const input = rds.calls.find((c) => c.name === 'CreateDBInstance')!.input;
    expect(input).toMatchObject({
      ManageMasterUserPassword: true,
      MasterUsername: 'patchbay',
      Engine: 'postgres',
    });
    expect(input).not.toHaveProperty('MasterUserPassword');
    expect(input.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'patchbay:environment', Value: 'prod' },
        { Key: 'patchbay:logical-id', Value: 'db/main' },
        { Key: 'team', Value: 'data' },
      ]),
    );
    expect(created.outputs).toEqual({
      arn: 'arn:aws:rds:us-east-1:123456789012:db:prod-main',
      endpoint: 'prod-main.abc.us-east-1.rds.amazonaws.com',
      port: 5432,
      masterUserSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1',
    });
    const observed = await type.observe({ ...ref, physicalId: created.physicalId! }, ctx);
    const owned = Object.fromEntries(Object.keys(desired).map((k) => [k, observed!.attributes[k]]));
    expect(owned).toEqual(desired);
    expect(observed!.pending).toBeUndefined();
    expect(JSON.stringify(observed)).not.toMatch(/password/i);
  });

  it('sends only the changed field with ApplyImmediately chosen explicitly, and shows queued values as pending', async () => {
    const { rds, type } = setup();
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    await type.patch(
      ref,
      [{ attribute: 'instanceClass', from: 'db.t4g.micro', to: 'db.t4g.small' }],
      { kind: 'read-before-write', expected: { instanceClass: 'db.t4g.micro' } },
      ctx,
    );
    const modify = rds.calls.filter((c) => c.name === 'ModifyDBInstance');
    expect(modify).toEqual([
      {
        name: 'ModifyDBInstance',
        input: {
          DBInstanceIdentifier: 'prod-main',
          ApplyImmediately: false,
          DBInstanceClass: 'db.t4g.small',
        },
      },
    ]);
    const observed = await type.observe(ref, ctx);
    expect(observed!.attributes.instanceClass).toBe('db.t4g.micro');
    expect(observed!.pending).toEqual({ instanceClass: 'db.t4g.small' });
    // Asking again for a value already pending sends nothing.
    await type.patch(
      ref,
      [{ attribute: 'instanceClass', from: 'db.t4g.micro', to: 'db.t4g.small' }],
      { kind: 'read-before-write', expected: {} },
      ctx,
    );
    expect(rds.count('ModifyDBInstance')).toBe(1);
  });

  it('with applyImmediately: true sends ApplyImmediately true and waits until available', async () => {
    const { rds, type } = setup({ applyImmediately: true });
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    await type.patch(
      ref,
      [{ attribute: 'allocatedStorage', from: 20, to: 50 }],
      { kind: 'read-before-write', expected: { allocatedStorage: 20 } },
      ctx,
    );
    expect(rds.calls.find((c) => c.name === 'ModifyDBInstance')!.input).toEqual({
      DBInstanceIdentifier: 'prod-main',
      ApplyImmediately: true,
      AllocatedStorage: 50,
    });
    expect((await type.observe(ref, ctx))!.attributes.allocatedStorage).toBe(50);
  });

  it('sets AllowMajorVersionUpgrade only for a major engine version change', async () => {
    const { rds, type } = setup();
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    await type.patch(
      ref,
      [{ attribute: 'engineVersion', from: '16.4', to: '17.2' }],
      { kind: 'read-before-write', expected: {} },
      ctx,
    );
    const modify = rds.calls.find((c) => c.name === 'ModifyDBInstance')!.input;
    expect(modify).toMatchObject({ EngineVersion: '17.2', AllowMajorVersionUpgrade: true });
  });

  it('aborts with ConflictError when the console changed the attribute, sending no ModifyDBInstance', async () => {
    const { rds, type } = setup();
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    rds.set({ BackupRetentionPeriod: 14 });
    const attempt = type.patch(
      ref,
      [{ attribute: 'backupRetentionPeriod', from: 7, to: 3 }],
      { kind: 'read-before-write', expected: { backupRetentionPeriod: 7 } },
      ctx,
    );
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ expected: 7, actual: 14 });
    expect(rds.count('ModifyDBInstance')).toBe(0);
  });

  it('changes tags per key with AddTagsToResource / RemoveTagsFromResource only', async () => {
    const { rds, type } = setup();
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    await type.patch(
      ref,
      [
        { attribute: 'tags.team', from: 'data', to: undefined },
        { attribute: 'tags.tier', from: undefined, to: 'gold' },
      ],
      { kind: 'read-before-write', expected: { 'tags.team': 'data' } },
      ctx,
    );
    expect(rds.count('ModifyDBInstance')).toBe(0);
    expect(rds.calls.find((c) => c.name === 'AddTagsToResource')!.input).toMatchObject({
      Tags: [{ Key: 'tier', Value: 'gold' }],
    });
    expect(rds.calls.find((c) => c.name === 'RemoveTagsFromResource')!.input).toMatchObject({
      TagKeys: ['team'],
    });
    expect((await type.observe(ref, ctx))!.attributes.tags).toEqual({ tier: 'gold' });
  });

  it('reports a CloudFormation-tagged instance as externally managed', async () => {
    const { rds, type } = setup();
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    rds.set({
      TagList: [...(rds.db()!.TagList ?? []), { Key: 'aws:cloudformation:stack-name', Value: 'db-stack' }],
    });
    const observed = await type.observe(ref, ctx);
    expect(observed!.managedBy).toBe('cloudformation:db-stack');
    await expect(
      type.patch(
        ref,
        [{ attribute: 'multiAz', from: false, to: true }],
        { kind: 'read-before-write', expected: {} },
        ctx,
      ),
    ).rejects.toMatchObject({ kind: 'fatal' });
    expect(rds.count('ModifyDBInstance')).toBe(0);
  });

  it('classifies a busy instance (InvalidDBInstanceState) as transient and a missing one as absent', async () => {
    const { rds, type } = setup();
    expect(await type.observe(ref, ctx)).toBeUndefined();
    await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
    rds.set({ DBInstanceStatus: 'modifying' });
    // The fake flips to available on read; force it busy for the write.
    const realSend = rds.send.bind(rds);
    rds.send = async (command) => {
      if (command.constructor.name === 'ModifyDBInstanceCommand')
        throw awsError('InvalidDBInstanceStateFault', 'busy');
      return realSend(command);
    };
    const error = await type
      .patch(
        ref,
        [{ attribute: 'multiAz', from: false, to: true }],
        { kind: 'read-before-write', expected: {} },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'transient',
      operation: 'ModifyDBInstance',
      cause: { name: 'InvalidDBInstanceStateFault' },
    });
  });

  it('deletes with a final snapshot by default, or skips it when configured', async () => {
    for (const skip of [false, true]) {
      const { rds, type } = setup({ skipFinalSnapshot: skip });
      await type.create({ ref, attributes: desired, idempotencyToken: 'tok' }, ctx);
      await type.delete!(ref, ctx);
      const input = rds.calls.find((c) => c.name === 'DeleteDBInstance')!.input;
      if (skip) expect(input).toEqual({ DBInstanceIdentifier: 'prod-main', SkipFinalSnapshot: true });
      else {
        expect(input).toMatchObject({ SkipFinalSnapshot: false });
        expect(input.FinalDBSnapshotIdentifier).toMatch(/^prod-main-final-\d{14}$/);
      }
      expect(await type.observe(ref, ctx)).toBeUndefined();
    }
  });

  it('rejects bad input before any call', async () => {
    const { rds, type } = setup();
    const attempt = type.create(
      {
        ref,
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
    expect(rds.calls).toEqual([]);
  });
});
