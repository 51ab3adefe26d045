import {
  type Attributes,
  createEngine,
  MemoryStore,
  memoryProvider,
  outputRef,
  type Provider,
  type ResourceRef,
  type ResourceSpec,
  type ValidateContext,
  ValidationError,
  type ValidationIssue,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';

const SECRET = 'hunter2-very-secret-value';

interface Seen {
  id: string;
  attributes: Attributes;
  ref: ResourceRef;
  context: ValidateContext;
}

/** `memory.task` checks its input the way a provider's create would, but at plan time. */
function validatingEngine() {
  const memory = memoryProvider();
  const seen: Seen[] = [];
  const task = memory.types['memory.task']!;
  const provider: Provider = {
    ...memory,
    types: {
      ...memory.types,
      'memory.task': {
        ...task,
        validate(attributes, ref, context) {
          seen.push({ id: ref.id, attributes, ref, context });
          const issues: ValidationIssue[] = [];
          const cpu = attributes.cpu;
          if ('cpu' in attributes && ![256, 512, 1024].includes(cpu as number))
            issues.push({
              path: ['cpu'],
              message: 'is not a task size',
              received: cpu,
              allowed: [256, 512, 1024],
            });
          if (context.mayCreate && !('image' in attributes) && !context.knownAfterApply.includes('image'))
            issues.push({ path: ['image'], message: 'is required' });
          const secrets = (attributes.secrets ?? {}) as Record<string, string>;
          for (const [name, value] of Object.entries(secrets)) {
            if (!value.startsWith('arn:'))
              issues.push({ path: ['secrets', name], message: `${value} is not an ARN`, received: value });
          }
          if (Object.keys(secrets).length && !('role' in attributes))
            issues.push({ path: ['role'], message: 'is required with secrets' });
          if ('network' in attributes) issues.push({ path: ['network'], message: 'judged on a known value' });
          return issues;
        },
      },
    },
  };
  const store = new MemoryStore();
  const engine = createEngine({ environment: 'test', providers: [provider], store });
  return { cloud: memory.cloud, engine, seen, store };
}

const task = (
  id: string,
  attributes: ResourceSpec['attributes'],
  extra: Partial<ResourceSpec> = {},
): ResourceSpec => ({
  id,
  type: 'memory.task',
  name: `test-${id.replace('/', '-')}`,
  attributes,
  ...extra,
});

const db: ResourceSpec = {
  id: 'db',
  type: 'memory.database',
  name: 'test-db',
  attributes: { engine: 'pg', instanceClass: 'small' },
};

describe('plan-time validation (ResourceType.validate)', () => {
  it('rejects every bad attribute of every resource in one ValidationError, before any cloud call', async () => {
    const f = validatingEngine();
    const desired = [
      db,
      task('a', { cpu: 300, image: 'a:1' }),
      task('b', { cpu: 256, image: 'b:1', secrets: { DB: 'arn:aws:secretsmanager:x' } }),
      task('c', { cpu: 512 }),
    ];
    const error = await f.engine.plan(desired).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual([
      ['a', 'cpu'],
      ['b', 'role'],
      ['c', 'image'],
    ]);
    expect(issues[0]).toMatchObject({ received: 300, allowed: [256, 512, 1024] });
    expect((error as ValidationError).message).toContain('a.cpu: is not a task size; received: 300');
    // Nothing was read or written: the database (valid, first in the graph) was not created either.
    expect(f.cloud.calls).toBe(0);
    expect((await f.store.read('test')).resources).toEqual({});
  });

  it('checks every desired spec, unchanged ones too, with state untouched and no read', async () => {
    const f = validatingEngine();
    const good = [db, task('a', { cpu: 256, image: 'a:1' })];
    expect((await f.engine.apply(await f.engine.plan(good))).ok).toBe(true);
    const before = await f.store.read('test');
    f.cloud.resetCounters();
    f.seen.length = 0;
    const error = await f.engine
      .plan([db, task('a', { cpu: 256, image: 'a:1', secrets: { K: 'arn:k' } })])
      .catch((e) => e);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([['a', 'role']]);
    expect(f.cloud.calls).toBe(0);
    expect((await f.store.read('test')).revision).toBe(before.revision);
    // An unchanged plan still validates (the graph as a whole is desired), and reads nothing.
    const plan = await f.engine.plan(good);
    expect(plan.reads).toBe(0);
    expect(f.seen.map((s) => s.id)).toEqual(['a', 'a']);
    expect(f.seen[1]?.ref).toMatchObject({
      id: 'a',
      name: 'test-a',
      environment: 'test',
      physicalId: expect.any(String),
    });
  });

  it('resolves output refs from state; refs known only after apply are left out and named', async () => {
    const f = validatingEngine();
    const withRef = (
      image: ResourceSpec['attributes'][string],
      network: ResourceSpec['attributes'][string],
    ) => task('a', { cpu: 256, image: 'a:1', network, role: image });
    await f.engine.apply(await f.engine.plan([db]));
    f.seen.length = 0;
    // db exists and is unchanged: its output is known now, and the value reaches validate resolved.
    const known = await f.engine
      .plan([db, withRef(outputRef('db', 'arn'), { host: outputRef('db', 'id') })])
      .catch((e) => e);
    expect(known).toBeInstanceOf(ValidationError);
    expect(f.seen[0]?.attributes.role).toMatch(/^mem:memory\.database\/test-db/);
    // `network` is known, so the type judges it.
    expect((known as ValidationError).issues.map((i) => i.path)).toEqual([['a', 'network']]);
    expect(f.seen[0]?.context.knownAfterApply).toEqual([]);

    // db changes in the same plan: role and network are known after apply, absent, and their issues dropped.
    f.seen.length = 0;
    const changing = { ...db, attributes: { ...db.attributes, instanceClass: 'large' } };
    const plan = await f.engine.plan([
      changing,
      withRef(outputRef('db', 'arn'), { host: outputRef('db', 'arn') }),
    ]);
    expect(f.seen[0]?.context.knownAfterApply).toEqual(['network', 'role']);
    expect(f.seen[0]?.attributes).toEqual({ cpu: 256, image: 'a:1' });
    expect(f.seen[0]?.context.mayCreate).toBe(true);
    expect(plan.actions.map((a) => a.kind)).toEqual(['update', 'create']);
  });

  it('tells validate an observe-only spec will never be created', async () => {
    const f = validatingEngine();
    // Without `image` an observe-only spec is still valid: the plan only finds it missing in the cloud.
    const plan = await f.engine.plan([task('a', { cpu: 256 }, { policy: { mode: 'observe-only' } })]);
    expect(plan.actions[0]?.kind).toBe('blocked');
    expect(f.seen[0]?.context).toEqual({ knownAfterApply: [], mayCreate: false });
  });

  it('never echoes a sensitive value in an issue', async () => {
    const f = validatingEngine();
    const error = await f.engine
      .plan([
        task('a', { cpu: 256, image: 'a:1', role: 'r', secrets: { DB: SECRET } }, { sensitive: ['secrets'] }),
      ])
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issue = (error as ValidationError).issues[0]!;
    expect(issue.path).toEqual(['a', 'secrets', 'DB']);
    expect(issue.received).toBe('(sensitive)');
    expect(JSON.stringify((error as ValidationError).issues)).not.toContain(SECRET);
    expect((error as ValidationError).message).not.toContain(SECRET);
  });
});
