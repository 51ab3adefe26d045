/**
 * Live tests against real AWS. Skipped unless PATCHBAY_LIVE_AWS=1; they use the SDK's default
 * credential chain and AWS_REGION (default us-east-1). See the README ("Live tests") for what they
 * create and cost. Every resource is named `pb-live-<timestamp>` and deleted at the end.
 */
import type { Provider, ResourceRef } from '@patchbay/core';
import { aws } from '@patchbay/provider-aws';
import { afterAll, describe, expect, it } from 'vitest';
import { callContext } from './call-context.js';

const live = process.env.PATCHBAY_LIVE_AWS === '1';
const region = process.env.AWS_REGION ?? 'us-east-1';
const env = `pb-live-${Date.now().toString(36)}`;
const subnets = process.env.PATCHBAY_LIVE_AWS_SUBNETS?.split(',').filter(Boolean) ?? [];
const securityGroups = process.env.PATCHBAY_LIVE_AWS_SECURITY_GROUPS?.split(',').filter(Boolean) ?? [];
const ctx = callContext();
const cleanup: (() => Promise<void>)[] = [];

const ref = (id: string, type: string, name: string): ResourceRef => ({ id, type, name, environment: env });

describe.skipIf(!live)('live AWS', () => {
  const provider: Provider = live ? aws({ region, pollIntervalMs: 10_000 }) : ({} as Provider);
  const type = (name: string) => provider.types[name]!;

  afterAll(async () => {
    for (const step of cleanup.reverse())
      await step().catch((e: unknown) => console.error('cleanup failed:', e));
  }, 1_800_000);

  it('ECS: cluster, task definition (revision only on real change) and a zero-task service', async () => {
    const clusterRef = ref('cluster', 'aws.ecs.cluster', env);
    await type('aws.ecs.cluster').create(
      { ref: clusterRef, attributes: { tags: { purpose: 'patchbay-live-test' } }, idempotencyToken: env },
      ctx,
    );
    cleanup.push(() => type('aws.ecs.cluster').delete!(clusterRef, ctx));

    const tdRef = ref('taskdef/api', 'aws.ecs.task-definition', `${env}-api`);
    const attributes = {
      cpu: 256,
      memory: 512,
      image: 'public.ecr.aws/nginx/nginx:stable',
      port: 80,
      environment: { A: '1' },
      tags: {},
    };
    const td = await type('aws.ecs.task-definition').create(
      { ref: tdRef, attributes, idempotencyToken: env },
      ctx,
    );
    cleanup.push(() =>
      type('aws.ecs.task-definition').delete!({ ...tdRef, physicalId: td.physicalId! }, ctx),
    );
    const observed = await type('aws.ecs.task-definition').observe(
      { ...tdRef, physicalId: td.physicalId! },
      ctx,
    );
    expect(observed?.attributes).toMatchObject(attributes);
    const same = await type('aws.ecs.task-definition').patch(
      { ...tdRef, physicalId: td.physicalId! },
      [{ attribute: 'cpu', from: 256, to: '256' }],
      { kind: 'read-before-write', expected: { cpu: 256 } },
      ctx,
    );
    expect(same.outputs?.revision).toBe(td.outputs?.revision);

    if (subnets.length === 0) return;
    const svcRef = ref('compute/api', 'aws.ecs.service', `${env}-api`);
    const svc = await type('aws.ecs.service').create(
      {
        ref: svcRef,
        attributes: {
          cluster: env,
          taskDefinition: td.outputs!.arn!,
          desiredCount: 0,
          subnets,
          securityGroups,
          assignPublicIp: false,
          tags: {},
        },
        idempotencyToken: env,
      },
      ctx,
    );
    cleanup.push(() => type('aws.ecs.service').delete!({ ...svcRef, physicalId: svc.physicalId! }, ctx));
    expect(
      (await type('aws.ecs.service').observe({ ...svcRef, physicalId: svc.physicalId! }, ctx))?.attributes,
    ).toMatchObject({
      desiredCount: 0,
      subnets: [...subnets].sort(),
    });
  }, 600_000);

  it.skipIf(process.env.PATCHBAY_LIVE_AWS_RDS !== '1')(
    'RDS: create db.t4g.micro with an AWS-managed password, queue a change as pending, delete without snapshot',
    async () => {
      const rdsProvider = aws({
        region,
        pollIntervalMs: 15_000,
        rds: { skipFinalSnapshot: true, applyImmediately: false },
      });
      const rds = rdsProvider.types['aws.rds.instance']!;
      const dbRef = ref('db/main', 'aws.rds.instance', `${env}-main`);
      const created = await rds.create(
        {
          ref: dbRef,
          attributes: {
            engine: 'postgres',
            instanceClass: 'db.t4g.micro',
            allocatedStorage: 20,
            multiAz: false,
            backupRetentionPeriod: 0,
            deletionProtection: false,
            tags: {},
          },
          idempotencyToken: env,
        },
        ctx,
      );
      cleanup.push(() => rds.delete!(dbRef, ctx));
      expect(created.outputs?.masterUserSecretArn).toMatch(/^arn:aws:secretsmanager:/);
      await rds.patch(
        dbRef,
        [{ attribute: 'instanceClass', from: 'db.t4g.micro', to: 'db.t4g.small' }],
        { kind: 'read-before-write', expected: { instanceClass: 'db.t4g.micro' } },
        ctx,
      );
      const observed = await rds.observe(dbRef, ctx);
      expect(observed?.attributes.instanceClass).toBe('db.t4g.micro');
      expect(observed?.pending).toEqual({ instanceClass: 'db.t4g.small' });
    },
    3_600_000,
  );
});
