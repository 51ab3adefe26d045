import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  type CreateDBInstanceCommandOutput,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  RemoveTagsFromResourceCommand,
  waitUntilDBInstanceAvailable,
  waitUntilDBInstanceDeleted,
} from '@aws-sdk/client-rds';
import { awsClientConfig, type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
let rds: RDSClient;
let created: CreateDBInstanceCommandOutput;
const waitFast = { maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 };

async function available(id: string) {
  const result = await waitUntilDBInstanceAvailable(
    { client: rds, ...waitFast },
    { DBInstanceIdentifier: id },
  );
  expect(result.state).toBe('SUCCESS');
  return describe1(id);
}

async function describe1(id: string) {
  const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  return DBInstances![0]!;
}

beforeAll(async () => {
  sandbox = await startSandbox({ operationDelayMs: 20 });
  rds = new RDSClient(awsClientConfig(sandbox, 'eu-west-1'));
  created = await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'main',
      DBInstanceClass: 'db.t4g.micro',
      Engine: 'postgres',
      EngineVersion: '16.3',
      AllocatedStorage: 20,
      MasterUsername: 'app',
      ManageMasterUserPassword: true,
      VpcSecurityGroupIds: ['sg-1', 'sg-2'],
      Tags: [{ Key: 'env', Value: 'prod' }],
    }),
  );
});

afterAll(async () => {
  rds.destroy();
  await sandbox.close();
});

describe('RDS instances', () => {
  it('goes from creating to available with an endpoint and a managed master secret (no password)', async () => {
    expect(created.DBInstance?.DBInstanceStatus).toBe('creating');
    expect(created.DBInstance?.Endpoint).toBeUndefined();
    const instance = await available('main');
    expect(instance).toMatchObject({
      DBInstanceIdentifier: 'main',
      DBInstanceArn: 'arn:aws:rds:eu-west-1:123456789012:db:main',
      Engine: 'postgres',
      EngineVersion: '16.3',
      AllocatedStorage: 20,
      MultiAZ: false,
      TagList: [{ Key: 'env', Value: 'prod' }],
      VpcSecurityGroups: [
        { VpcSecurityGroupId: 'sg-1', Status: 'active' },
        { VpcSecurityGroupId: 'sg-2', Status: 'active' },
      ],
    });
    expect(instance.Endpoint?.Port).toBe(5432);
    expect(instance.InstanceCreateTime).toBeInstanceOf(Date);
    expect(instance.MasterUserSecret?.SecretArn).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-/,
    );
    expect(JSON.stringify(instance)).not.toMatch(/MasterUserPassword/);
  });

  it('rejects a duplicate identifier and a password together with ManageMasterUserPassword', async () => {
    const base = {
      DBInstanceClass: 'db.t4g.micro',
      Engine: 'postgres',
      AllocatedStorage: 20,
      MasterUsername: 'app',
    };
    await expect(
      rds.send(
        new CreateDBInstanceCommand({
          ...base,
          DBInstanceIdentifier: 'main',
          MasterUserPassword: 'secret123',
        }),
      ),
    ).rejects.toMatchObject({ name: 'DBInstanceAlreadyExistsFault', $metadata: { httpStatusCode: 400 } });
    await expect(
      rds.send(
        new CreateDBInstanceCommand({
          ...base,
          DBInstanceIdentifier: 'other',
          MasterUserPassword: 'secret123',
          ManageMasterUserPassword: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
  });

  it('answers DBInstanceNotFound with 404', async () => {
    await expect(
      rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'ghost' })),
    ).rejects.toMatchObject({
      name: 'DBInstanceNotFoundFault',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('keeps a change pending without ApplyImmediately until the console applies it', async () => {
    const { DBInstance } = await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'main',
        DBInstanceClass: 'db.t4g.small',
        DeletionProtection: true,
      }),
    );
    expect(DBInstance?.DBInstanceClass).toBe('db.t4g.micro');
    expect(DBInstance?.PendingModifiedValues?.DBInstanceClass).toBe('db.t4g.small');
    expect(DBInstance?.DeletionProtection).toBe(true);
    expect(DBInstance?.DBInstanceStatus).toBe('available');

    const applying = sandbox.console.action('rds', 'dbInstance', 'main', 'apply-pending');
    expect(applying?.data.DBInstanceStatus).toBe('modifying');
    const applied = await available('main');
    expect(applied.DBInstanceClass).toBe('db.t4g.small');
    expect(applied.PendingModifiedValues).toEqual({});
  });

  it('applies immediately when asked, is busy meanwhile, and masks a new password', async () => {
    // A longer modification so the second call reliably finds the instance busy.
    sandbox.faults.add({ api: 'rds', operation: 'ModifyDBInstance', operationDelayMs: 300 });
    const { DBInstance } = await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'main',
        AllocatedStorage: 30,
        ApplyImmediately: true,
      }),
    );
    expect(DBInstance?.DBInstanceStatus).toBe('modifying');
    expect(DBInstance?.PendingModifiedValues?.AllocatedStorage).toBe(30);
    await expect(
      rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: 'main',
          BackupRetentionPeriod: 7,
          ApplyImmediately: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    expect((await available('main')).AllocatedStorage).toBe(30);
    sandbox.faults.clear();

    const masked = await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'main',
        ManageMasterUserPassword: false,
        MasterUserPassword: 'n3w-secret!',
      }),
    );
    expect(masked.DBInstance?.PendingModifiedValues?.MasterUserPassword).toBe('****');
    expect(masked.DBInstance?.MasterUserSecret).toBeUndefined();
  });

  it('rejects storage decrease, major upgrades without the flag, and immutable fields', async () => {
    await expect(
      rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'main', AllocatedStorage: 10 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    await expect(
      rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'main', EngineVersion: '17.1' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
      message: expect.stringContaining('AllowMajorVersionUpgrade'),
    });
  });

  it('tags by ARN', async () => {
    const arn = 'arn:aws:rds:eu-west-1:123456789012:db:main';
    await rds.send(
      new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: 'owner', Value: 'ana' }] }),
    );
    await rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ['env'] }));
    const { TagList } = await rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    expect(TagList).toEqual([{ Key: 'owner', Value: 'ana' }]);
    await expect(
      rds.send(
        new ListTagsForResourceCommand({ ResourceName: 'arn:aws:rds:eu-west-1:123456789012:db:ghost' }),
      ),
    ).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
  });

  it('refuses to delete a protected instance or without a snapshot choice, then deletes', async () => {
    await expect(
      rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'main', SkipFinalSnapshot: true })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'main', DeletionProtection: false }));
    await available('main');
    await expect(
      rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'main' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    const { DBInstance } = await rds.send(
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'main', SkipFinalSnapshot: true }),
    );
    expect(DBInstance?.DBInstanceStatus).toBe('deleting');
    const result = await waitUntilDBInstanceDeleted(
      { client: rds, ...waitFast },
      { DBInstanceIdentifier: 'main' },
    );
    expect(result.state).toBe('SUCCESS');
  });

  it('rejects unknown parameters and wrong types in the Query form, naming them', async () => {
    const response = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=sandbox/20240101/us-east-1/rds/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: 'Action=ModifyDBInstance&Version=2014-10-31&DBInstanceIdentifier=main&AllocatedStorage=lots&MasterUsername=x',
    });
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Code>InvalidParameterValue</Code>');
    expect(xml).toContain('AllocatedStorage');
    expect(xml).toContain('MasterUsername');
    expect(xml).toMatch(
      /<ErrorResponse xmlns="http:\/\/rds.amazonaws.com\/doc\/2014-10-31\/"><Error><Type>Sender<\/Type>/,
    );
  });
});
