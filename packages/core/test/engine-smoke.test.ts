import {
  createEngine,
  MemoryStore,
  memoryProvider,
  outputRef,
  type ResourceSpec,
  renderPlan,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';

describe('engine smoke', () => {
  it('creates, then plans nothing, then patches one attribute', async () => {
    const memory = memoryProvider();
    const engine = createEngine({ environment: 'test', providers: [memory], store: new MemoryStore() });
    const desired: ResourceSpec[] = [
      { id: 'task', type: 'memory.task', name: 'test-task', attributes: { cpu: 256, tags: { team: 'a' } } },
      {
        id: 'svc',
        type: 'memory.service',
        name: 'test-svc',
        attributes: { replicas: 2, task: outputRef('task', 'arn') },
      },
    ];
    const plan = await engine.plan(desired);
    expect(plan.summary.create).toBe(2);
    const result = await engine.apply(plan);
    expect(result.ok).toBe(true);
    const again = await engine.plan(desired);
    expect(again.empty).toBe(true);
    expect(again.reads).toBe(0);
    desired[0]!.attributes.cpu = 512;
    const change = await engine.plan(desired);
    console.log(renderPlan(change));
    const r2 = await engine.apply(change);
    expect(r2.ok).toBe(true);
    expect(memory.cloud.get('memory.service', 'test-svc')?.attributes.task).toBe(
      `${memory.cloud.get('memory.task', 'test-task')?.physicalId}:2`,
    );
    expect((await engine.plan(desired)).empty).toBe(true);
  });
});
