import { describe, expect, it } from 'vitest';
import { engineFixture, service } from './support/engine-fixture.js';

describe('events', () => {
  it('reports plan, action lifecycle and the apply summary', async () => {
    const f = engineFixture();
    await f.converge([service(1)]);
    const names = f.log.map((e) => e.name);
    expect(names).toEqual(['plan:computed', 'action:started', 'action:finished', 'apply:finished']);
    expect(f.log[2]?.payload).toMatchObject({ id: 'svc', kind: 'create', outcome: 'created' });
    expect(f.log[3]?.payload).toMatchObject({ environment: 'test', created: 1, apiCalls: 1, revision: 2 });
  });

  it('reports drift kept, conflicts and failures', async () => {
    const f = engineFixture();
    await f.converge([service(1)]);
    f.cloud.edit('memory.service', 'test-svc', { replicas: 4, image: 'x' });
    f.log.length = 0;
    await f.converge([service(2, { tags: { team: 'z' } })]);
    const names = f.log.map((e) => e.name);
    expect(names).toContain('drift:kept');
    expect(names).toContain('conflict');
    expect(f.log.find((e) => e.name === 'conflict')?.payload).toMatchObject({
      id: 'svc',
      attribute: 'replicas',
    });
    expect(f.log.find((e) => e.name === 'drift:kept')?.payload).toMatchObject({
      attribute: { attribute: 'image' },
    });
  });
});
