/**
 * @module Runs the shop under the strategy given on the command line (single, per-service or auto) and
 * checks out a cart through the public unit. Run: pnpm --filter @patchbay/example-shop-app start per-service
 */
import { formatAllocation, parseApp, parseEnvironment, planAllocation } from '@patchbay/core';
import { runLocally } from './run-locally.js';
import { shopModel } from './shop-model.js';

const strategy = (process.argv[2] ?? 'single') as 'single' | 'per-service' | 'auto';
const env = parseEnvironment({
  name: 'dev',
  cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-0a1b2c3d'] } },
  // ECS injects the Neon role's password from this secret (by ARN) with the execution role.
  compute: { kind: 'fargate', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' },
  database: {
    kind: 'neon',
    passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-neon-password-AbCdEf',
  },
  allocation: { strategy },
});
const allocation = planAllocation(parseApp(shopModel), env);
console.log(formatAllocation(allocation));

const { units, stop } = await runLocally(allocation);
const gateway = allocation.units.find((u) => u.gateway)!;
const response = await fetch(`${units.get(gateway.name)!.url}/web/checkout`, {
  method: 'POST',
  body: JSON.stringify({ cart: 'c1', products: ['p1', 'p2'] }),
});
console.log('\ncheckout:', await response.json());
for (const unit of units.values())
  for (const call of unit.client.calls)
    console.log(`  ${call.from} -> ${call.service}.${call.method} (${call.via})`);
await stop();
