import type { AppInput, EnvironmentInput } from '@patchbay/core';

/** The quickstart's app: six services and two databases. */
export const shopApp: AppInput = {
  name: 'shop',
  services: [
    {
      name: 'web',
      public: true,
      calls: [{ service: 'catalog', weight: 120 }, { service: 'cart', weight: 40 }, 'orders'],
    },
    { name: 'catalog', databases: ['main'] },
    { name: 'cart', calls: [{ service: 'catalog', weight: 40 }], databases: ['main'] },
    { name: 'orders', calls: ['payments', 'cart'], databases: ['main'] },
    { name: 'payments', isolate: true },
    { name: 'reports', calls: ['orders'], databases: ['analytics'] },
  ],
  databases: [{ name: 'main' }, { name: 'analytics' }],
};

/** The environment at each stage of the story: only the fields a person would edit change. */
export type Stage = 'initial' | 'more-cpu' | 'per-service';

export function shopEnvironment(stage: Stage): EnvironmentInput {
  return {
    name: 'staging',
    type: 'development',
    cloud: {
      provider: 'aws',
      region: 'eu-west-1',
      network: { subnets: ['subnet-0a1b2c3d', 'subnet-0e5f6a7b'], securityGroups: ['sg-0a1b2c3d'] },
    },
    compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
    sizing: { cpu: stage === 'initial' ? 0.25 : 0.5, memory: 1024, minInstances: 2, maxInstances: 4 },
    database: { kind: 'rds', instanceClass: 'db.t4g.micro', storageGb: 20 },
    allocation: { strategy: stage === 'per-service' ? 'per-service' : 'single' },
  };
}
