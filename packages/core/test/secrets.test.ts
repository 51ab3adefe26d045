import { ProviderError, planToJSON, type ResourceSpec, renderPlan } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { engineFixture } from './support/engine-fixture.js';

const SECRET = 'hunter2-PLANTED-s3cr3t-value';

describe('secrets', () => {
  it('never appear in plans, rendered text, events, errors, outcomes or state', async () => {
    const f = engineFixture();
    const spec = (password: string, replicas = 1): ResourceSpec => ({
      id: 'svc',
      type: 'memory.service',
      name: 'svc',
      attributes: { replicas, password },
      sensitive: ['password'],
    });
    const seen: string[] = [];
    const plan1 = await f.engine.plan([spec(SECRET)]);
    seen.push(JSON.stringify(plan1), JSON.stringify(planToJSON(plan1)), renderPlan(plan1));
    expect(renderPlan(plan1)).toContain('password: (sensitive)');
    const r1 = await f.engine.apply(plan1);
    expect(r1.ok).toBe(true);
    // The cloud got the real value; the state keeps only a hash, and the next plan is still empty.
    expect(f.cloud.get('memory.service', 'svc')?.attributes.password).toBe(SECRET);
    const state = await f.store.read('test');
    expect(state.resources.svc?.attributes.password).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await f.engine.plan([spec(SECRET)])).empty).toBe(true);

    // Rotating it is a change, shown without values.
    const rotated = `${SECRET}-rotated`;
    const plan2 = await f.engine.plan([spec(rotated, 2)]);
    expect(plan2.actions[0]?.attributes.find((a) => a.attribute === 'password')).toEqual({
      attribute: 'password',
      case: 'patch',
      sensitive: true,
    });
    seen.push(JSON.stringify(plan2), renderPlan(plan2));
    // A provider error that echoes the value (as some APIs do) is redacted before it leaves the engine.
    f.cloud.hook = (call) => {
      if (call.operation === 'patch')
        throw new ProviderError('memory', 'patch', 'fatal', `invalid password ${rotated}`);
    };
    const r2 = await f.engine.apply(plan2);
    expect(r2.outcomes[0]?.outcome).toBe('failed');
    expect(r2.outcomes[0]?.message).toContain('(sensitive)');
    seen.push(JSON.stringify(r2), JSON.stringify(f.log), JSON.stringify(await f.store.read('test')));
    const report = await f.engine.refresh();
    seen.push(JSON.stringify(report));
    for (const text of seen) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('hunter2');
    }
  });
});
