import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  waitUntilDBInstanceAvailable,
} from '@aws-sdk/client-rds';
import { awsClientConfig, type Sandbox, SandboxClient, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };

async function seedService(ecs: ECSClient): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'api',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'api', image: 'nginx' }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'prod',
      serviceName: 'api',
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
    }),
  );
}

describe('console (in process)', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    ecs = new ECSClient(awsClientConfig(sandbox));
    await seedService(ecs);
  });

  afterAll(async () => {
    ecs.destroy();
    await sandbox.close();
  });

  it('lists resources per API', () => {
    expect(sandbox.console.list('ecs').map((e) => `${e.kind}:${e.id}`)).toEqual([
      'cluster:prod',
      'taskDefinition:api:1',
      'service:prod/api',
    ]);
    expect(sandbox.console.list('rds')).toEqual([]);
  });

  it('makes out-of-band edits and tags the SDK sees, bumping the generation', async () => {
    const before = sandbox.console.get('ecs', 'service', 'prod/api')!;
    const edited = sandbox.console.edit('ecs', 'service', 'prod/api', { desiredCount: 5 });
    expect(edited.generation).toBeGreaterThan(before.generation);
    sandbox.console.tag('ecs', 'service', 'prod/api', 'edited-by', 'console');
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['api'], include: ['TAGS'] }),
    );
    expect(services?.[0]?.desiredCount).toBe(5);
    expect(services?.[0]?.tags).toEqual([{ key: 'edited-by', value: 'console' }]);
  });

  it('deletes as the console would and reports unknown resources', async () => {
    sandbox.console.delete('ecs', 'service', 'prod/api');
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }));
    expect(services?.[0]?.status).toBe('DRAINING');
    expect(() => sandbox.console.edit('ecs', 'service', 'prod/ghost', {})).toThrow(/No ecs service/);
    expect(() => sandbox.console.list('nope' as never)).not.toThrow();
    expect(() => sandbox.console.action('ecs', 'cluster', 'prod', 'apply-pending')).toThrow(
      /no console action/,
    );
  });

  it('resets to what a new sandbox holds (only the built-in Kubernetes namespaces)', async () => {
    const keys = (s: Sandbox) => s.console.list().map((e) => `${e.api}/${e.kind}/${e.id}`);
    const fresh = await startSandbox();
    const initial = keys(fresh);
    await fresh.close();
    expect(initial.every((key) => key.startsWith('kubernetes/namespace/'))).toBe(true);
    sandbox.console.reset();
    expect(keys(sandbox)).toEqual(initial);
    const { failures } = await ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }));
    expect(failures?.[0]?.reason).toBe('MISSING');
  });
});

describe('admin HTTP surface (SandboxClient)', () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let client: SandboxClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    ecs = new ECSClient(awsClientConfig(sandbox));
    client = new SandboxClient(sandbox.url);
    await seedService(ecs);
  });

  afterAll(async () => {
    ecs.destroy();
    await sandbox.close();
  });

  it('lists, gets, edits, tags and deletes over HTTP', async () => {
    expect((await client.health()).apis).toEqual(expect.arrayContaining(['ecs', 'rds', 'eks']));
    expect((await client.list('ecs')).map((e) => e.id)).toContain('prod/api');
    await client.edit('ecs', 'service', 'prod/api', { desiredCount: 3 });
    await client.tag('ecs', 'service', 'prod/api', 'k', 'v');
    const record = await client.get('ecs', 'service', 'prod/api');
    expect(record?.data).toMatchObject({ desiredCount: 3, tags: [{ key: 'k', value: 'v' }] });
    expect(await client.get('ecs', 'service', 'prod/ghost')).toBeUndefined();
    await expect(client.edit('ecs', 'service', 'prod/ghost', {})).rejects.toThrow(/404/);
    await client.delete('ecs', 'service', 'prod/api');
    expect(sandbox.console.get('ecs', 'service', 'prod/api')?.data.status).toBe('DRAINING');
  });

  it('reads counters and sets faults over HTTP', async () => {
    const { counters } = await client.counters();
    expect(counters['ecs.CreateService']).toEqual({ calls: 1, throttled: 0, faulted: 0 });
    await client.setFaults([{ api: 'ecs', latencyMs: 1 }]);
    expect(sandbox.faults.rules()).toEqual([{ api: 'ecs', latencyMs: 1 }]);
    await expect(client.addFault({ api: 'ecs', errorRate: 3 })).rejects.toThrow(/errorRate/);
    await client.resetCounters();
    expect(sandbox.counters.total()).toBe(0);
    await client.reset('ecs');
    expect(sandbox.console.list('ecs')).toEqual([]);
  });
});

describe('persistence', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'patchbay-sandbox-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the simulated cloud across a restart with the same dataDir, transitions included', async () => {
    const first = await startSandbox({ dataDir, operationDelayMs: 30 });
    const rds1 = new RDSClient(awsClientConfig(first));
    const ecs1 = new ECSClient(awsClientConfig(first));
    await seedService(ecs1);
    await rds1.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'db1',
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        AllocatedStorage: 20,
        MasterUsername: 'app',
        ManageMasterUserPassword: true,
      }),
    );
    const generation = first.console.get('ecs', 'service', 'prod/api')!.generation;
    rds1.destroy();
    ecs1.destroy();
    await first.close();

    const second = await startSandbox({ dataDir, operationDelayMs: 30 });
    const rds2 = new RDSClient(awsClientConfig(second));
    const ecs2 = new ECSClient(awsClientConfig(second));
    const { services } = await ecs2.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }));
    expect(services?.[0]?.serviceName).toBe('api');
    // The instance created before the restart finishes creating after it.
    await waitUntilDBInstanceAvailable(
      { client: rds2, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 },
      { DBInstanceIdentifier: 'db1' },
    );
    const { DBInstances } = await rds2.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db1' }));
    expect(DBInstances?.[0]?.Endpoint?.Port).toBe(5432);
    // Version tokens keep increasing across restarts.
    expect(second.console.edit('ecs', 'service', 'prod/api', { desiredCount: 2 }).generation).toBeGreaterThan(
      generation,
    );
    rds2.destroy();
    ecs2.destroy();
    await second.close();
  });
});

describe('CLI', () => {
  it('starts a sandbox on a random port and drives its console from another process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-sandbox-cli-'));
    // node itself (not npx) so SIGTERM reaches the sandbox process directly.
    const cli = ['--import', 'tsx', '--conditions=patchbay-source', 'packages/sandbox/src/cli.ts'];
    const server = spawn(process.execPath, [...cli, 'start', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: server.stdout! }).once('line', resolve);
        server.once('exit', (code) => reject(new Error(`CLI exited with ${code}`)));
      });
      const { url } = JSON.parse(firstLine) as { url: string };
      const ecs = new ECSClient(awsClientConfig({ url }));
      await ecs.send(new CreateClusterCommand({ clusterName: 'from-sdk' }));
      ecs.destroy();

      const run = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [...cli, ...args, '--url', url]);
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('exit', (code) => resolve({ code, stdout, stderr }));
        });
      const tagged = await run(['console', 'tag', 'ecs', 'cluster', 'from-sdk', 'owner', 'ops']);
      expect(tagged.code).toBe(0);
      const listed = await run(['console', 'list', '--api', 'ecs']);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({ api: 'ecs', kind: 'cluster', id: 'from-sdk' }),
      ]);
      const counters = await run(['counters']);
      expect(JSON.parse(counters.stdout).counters['ecs.CreateCluster'].calls).toBe(1);
      const missing = await run(['console', 'get', 'ecs', 'cluster', 'ghost']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No ecs cluster');
    } finally {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
