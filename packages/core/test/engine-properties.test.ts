import {
  type CommitOptions,
  createEngine,
  MemoryCloud,
  MemoryStore,
  memoryProvider,
  type ResourceSpec,
  type StateChange,
  type StateStore,
} from '@patchbay/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const IDS = [0, 1, 2];
type Desired = { replicas: number; image: string; team: string }[];

const spec = (i: number, d: Desired[number]): ResourceSpec => ({
  id: `svc/${i}`,
  type: i === 2 ? 'memory.database' : 'memory.service',
  name: `svc-${i}`,
  attributes: { replicas: d.replicas, image: d.image, tags: { team: d.team } },
});
const specs = (desired: Desired) => desired.map((d, i) => spec(i, d));

const value = fc.record({
  replicas: fc.integer({ min: 0, max: 3 }),
  image: fc.constantFrom('a', 'b', 'c'),
  team: fc.constantFrom('x', 'y'),
});
const attribute = fc.constantFrom('replicas', 'image', 'tags.team', 'tags.owner');
const attrValue = (a: string) =>
  a === 'replicas'
    ? fc.integer({ min: 0, max: 3 })
    : a === 'image'
      ? fc.constantFrom('a', 'b', 'c', 'z')
      : fc.constantFrom('x', 'y', 'q');

const command = fc.oneof(
  fc.record({ kind: fc.constant('desire' as const), id: fc.constantFrom(...IDS), value }),
  attribute.chain((a) =>
    fc.record({
      kind: fc.constant('edit' as const),
      id: fc.constantFrom(...IDS),
      attribute: fc.constant(a),
      to: attrValue(a),
    }),
  ),
  fc.constant({ kind: 'apply' as const }),
);

const cloudValue = (cloud: MemoryCloud, i: number, path: string) => {
  const r = cloud.list().find((x) => x.name === `svc-${i}`)!;
  if (path.startsWith('tags.'))
    return (r.attributes.tags as Record<string, unknown> | undefined)?.[path.slice(5)];
  return r.attributes[path];
};

describe('engine properties (fast-check, in-memory provider)', () => {
  it('never overwrites an out-of-band value, plans empty after a clean apply, reads only what changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { minLength: 3, maxLength: 3 }),
        fc.array(command, { maxLength: 25 }),
        async (initial, commands) => {
          const memory = memoryProvider();
          const store = new MemoryStore();
          const engine = createEngine({ environment: 'p', providers: [memory], store });
          const desired: Desired = structuredClone(initial);
          expect((await engine.apply(await engine.plan(specs(desired)))).ok).toBe(true);
          let edited = new Map<string, unknown>();
          for (const c of commands) {
            if (c.kind === 'desire') desired[c.id] = c.value;
            else if (c.kind === 'edit') {
              memory.cloud.edit(c.id === 2 ? 'memory.database' : 'memory.service', `svc-${c.id}`, {
                [c.attribute]: c.to,
              });
              edited.set(`${c.id}|${c.attribute}`, c.to);
            } else {
              const state = await store.read('p');
              // Resources whose desired attributes differ from last applied: the only ones plan may read.
              const changed = specs(desired).filter((s) => {
                const l = state.resources[s.id]!.attributes;
                return (
                  l.replicas !== s.attributes.replicas ||
                  l.image !== s.attributes.image ||
                  (l.tags as Record<string, unknown>).team !==
                    (s.attributes.tags as Record<string, unknown>).team
                );
              }).length;
              // Out-of-band values that differ from what Patchbay last applied must survive the apply.
              const protectedValues = [...edited.keys()].flatMap((k) => {
                const [id, path] = k.split('|') as [string, string];
                const i = Number(id);
                const now = cloudValue(memory.cloud, i, path);
                const l = state.resources[`svc/${i}`]!.attributes;
                const last = path.startsWith('tags.')
                  ? (l.tags as Record<string, unknown>)[path.slice(5)]
                  : l[path];
                return now === last ? [] : [{ i, path, now }];
              });
              const plan = await engine.plan(specs(desired));
              expect(plan.reads).toBeLessThanOrEqual(changed);
              const result = await engine.apply(plan);
              for (const p of protectedValues) expect(cloudValue(memory.cloud, p.i, p.path)).toEqual(p.now);
              if (result.ok) {
                const after = await engine.plan(specs(desired));
                expect(after.empty).toBe(true);
                expect(after.reads).toBe(0);
              }
              edited = new Map();
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a crash at any provider call or commit, then a re-run, converges with no duplicate and no lost change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { minLength: 3, maxLength: 3 }),
        fc.array(value, { minLength: 3, maxLength: 3 }),
        fc.subarray(IDS),
        fc.nat({ max: 40 }),
        fc.boolean(),
        async (first, second, dropped, crashAt, afterCall) => {
          let now = 1_000_000;
          const inner = new MemoryStore({ now: () => now });
          const cloud = new MemoryCloud();
          let crashed = false;
          let steps = 0;
          const step = () => {
            if (crashed) throw new Error('process is dead');
            if (steps++ === crashAt) {
              crashed = true;
              throw new Error('simulated crash');
            }
          };
          // A store that dies with the process: nothing is committed or unlocked after the crash.
          const dying: StateStore = {
            read: (env) => inner.read(env),
            commit: async (env: string, change: StateChange, options?: CommitOptions) => {
              step();
              return inner.commit(env, change, options);
            },
            acquireLock: (env, holder, lease) => inner.acquireLock(env, holder, lease),
            renewLock: (env, holder, lease) => inner.renewLock(env, holder, lease),
            releaseLock: async (env, holder) => {
              if (!crashed) await inner.releaseLock(env, holder);
            },
          };
          cloud.hook = (call) => {
            if (call.phase === (afterCall ? 'after' : 'before')) step();
            else if (crashed) throw new Error('process is dead');
          };
          // Stateful resources are deleted only when confirmed and when their policy says so.
          const target = (d: Desired, keep: number[]) =>
            d
              .map((v, i) => spec(i, v))
              .filter((_, i) => keep.includes(i))
              .map((s) => ({ ...s, policy: { deletion: 'delete' as const } }));
          const firstEngine = createEngine({
            environment: 'c',
            providers: [memoryProvider({ cloud })],
            store: dying,
            holder: 'first',
          });
          const confirm = { confirmDelete: IDS.map((i) => `svc/${i}`) };
          const run1 = async () => {
            await firstEngine.apply(await firstEngine.plan(target(first, IDS), confirm));
            const remaining = IDS.filter((i) => !dropped.includes(i));
            await firstEngine.apply(await firstEngine.plan(target(second, remaining), confirm));
          };
          await run1().catch(() => undefined);

          // A new process: same cloud and store, the crashed holder's lease expires.
          cloud.hook = undefined;
          now += 120_000;
          const engine = createEngine({
            environment: 'c',
            providers: [memoryProvider({ cloud })],
            store: inner,
            holder: 'second',
          });
          const remaining = IDS.filter((i) => !dropped.includes(i));
          const want = target(second, remaining);
          const result = await engine.apply(await engine.plan(want, confirm));
          expect(
            result.outcomes.filter(
              (o) =>
                !['created', 'updated', 'deleted', 'forgotten', 'recorded', 'unchanged', 'replaced'].includes(
                  o.outcome,
                ),
            ),
          ).toEqual([]);
          const after = await engine.plan(want, confirm);
          expect(after.empty).toBe(true);
          expect(
            cloud
              .list()
              .map((r) => r.name)
              .sort(),
          ).toEqual(remaining.map((i) => `svc-${i}`));
          for (const s of want) {
            const r = cloud.list().find((x) => x.name === s.name)!;
            expect(r.attributes).toEqual(s.attributes);
          }
          expect((await inner.read('c')).journal).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
