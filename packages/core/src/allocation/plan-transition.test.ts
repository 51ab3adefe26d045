import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AppInput, type EnvironmentInput, parseApp, parseEnvironment } from '../model/index.js';
import type { Allocation } from './allocation.js';
import { planAllocation } from './plan-allocation.js';
import { planTransition, type TransitionStep } from './plan-transition.js';

const env: EnvironmentInput = {
  name: 'staging',
  cloud: { provider: 'aws', region: 'eu-west-1', network: { subnets: ['subnet-0a1b2c3d'] } },
  compute: { kind: 'fargate' },
};
const app: AppInput = {
  name: 'shop',
  services: [
    { name: 'web', public: true, calls: ['cart', 'orders'] },
    { name: 'cart', calls: ['orders'] },
    { name: 'orders', calls: ['payments'] },
    { name: 'payments' },
  ],
};
const plan = (allocation: EnvironmentInput['allocation'], a: AppInput = app) =>
  planAllocation(parseApp(a), parseEnvironment({ ...env, allocation }));

/**
 * Replays the steps and checks make-before-break: every service present before and after always has a
 * running home, and every running unit's remotes point at a running unit that hosts the service.
 */
function replay(before: Allocation, after: Allocation, steps: TransitionStep[], cyclic = false): void {
  const running = new Map(before.units.map((u) => [u.name, u]));
  const byUrl = () => new Map([...running.values()].map((u) => [u.url, u]));
  const kept = Object.keys(before.placement).filter((s) => s in after.placement);
  const created = new Set<string>();
  steps.forEach((step, i) => {
    if (step.action === 'retire') running.delete(step.unit);
    else running.set(step.unit, step.target!);
    if (step.action === 'create') created.add(step.unit);
    const hosted = new Set([...running.values()].flatMap((u) => u.services));
    for (const service of kept)
      expect(hosted.has(service), `${service} has no home after step ${i}`).toBe(true);
    // Units created in this transition take traffic once callers are repointed; check the others now.
    if (step.phase === 'create') return;
    const urls = byUrl();
    for (const unit of running.values()) {
      if (created.has(unit.name) && steps.slice(i + 1).some((s) => s.phase === 'expand')) continue;
      // Units retiring together that call each other in a cycle cannot all be retired callers-first.
      if (cyclic && !after.units.some((u) => u.name === unit.name)) continue;
      for (const [service, url] of Object.entries(unit.runtimeConfig.remotes))
        expect(urls.get(url)?.services, `${unit.name} calls ${service} at ${url} after step ${i}`).toContain(
          service,
        );
    }
  });
  expect(new Map([...running].map(([k, v]) => [k, v.services]))).toEqual(
    new Map(after.units.map((u) => [u.name, u.services])),
  );
}

/** Do units that retire together call each other in a cycle? (Then no retire order keeps every call working.) */
function retiringCycle(before: Allocation, after: Allocation): boolean {
  const retiring = before.units.filter((u) => !after.units.some((a) => a.name === u.name));
  const byUrl = new Map(retiring.map((u) => [u.url, u]));
  const calls = (u: (typeof retiring)[number]) =>
    Object.values(u.runtimeConfig.remotes).flatMap((url) =>
      byUrl.has(url) && byUrl.get(url) !== u ? [byUrl.get(url)!] : [],
    );
  const reaches = (
    from: (typeof retiring)[number],
    to: (typeof retiring)[number],
    seen = new Set<string>(),
  ): boolean =>
    calls(from).some((n) => {
      if (n === to) return true;
      if (seen.has(n.name)) return false;
      seen.add(n.name);
      return reaches(n, to, seen);
    });
  return retiring.some((u) => reaches(u, u));
}

describe('planTransition', () => {
  it('single → per-service: creates every unit before retiring app', () => {
    const before = plan({ strategy: 'single' });
    const after = plan({ strategy: 'per-service' });
    const steps = planTransition(before, after);
    expect(steps.map((s) => `${s.action} ${s.unit}`)).toEqual([
      'create cart',
      'create orders',
      'create payments',
      'create web',
      'retire app',
    ]);
    replay(before, after, steps);
  });

  it('moving services between kept units expands before it contracts', () => {
    const before = plan({
      strategy: 'groups',
      groups: { front: ['web', 'cart'], back: ['orders', 'payments'] },
    });
    const after = plan({
      strategy: 'groups',
      groups: { front: ['web', 'orders'], back: ['cart', 'payments'] },
    });
    const steps = planTransition(before, after);
    expect(steps.map((s) => `${s.phase} ${s.unit} +${s.adds} -${s.removes}`)).toEqual([
      'expand back +cart -',
      'expand front +orders -',
      'contract back + -orders',
      'contract front + -cart',
    ]);
    expect(steps[0]!.target!.services).toEqual(['cart', 'orders', 'payments']);
    replay(before, after, steps);
  });

  it('every service that moves is hosted by its new unit before its old unit stops hosting it', () => {
    const strategies: EnvironmentInput['allocation'][] = [
      { strategy: 'single' },
      { strategy: 'per-service' },
      { strategy: 'auto', maxServicesPerUnit: 2 },
      { strategy: 'groups', groups: { a: ['web', 'payments'], b: ['cart', 'orders'] } },
      { strategy: 'groups', groups: { a: ['web'], web: ['cart', 'orders', 'payments'] } },
    ];
    for (const from of strategies)
      for (const to of strategies) {
        const before = plan(from);
        const after = plan(to);
        const steps = planTransition(before, after);
        for (const service of Object.keys(after.placement)) {
          const oldHome = before.placement[service]!;
          const newHome = after.placement[service]!;
          if (oldHome === newHome) continue;
          const up = steps.findIndex((s) => s.unit === newHome && s.adds.includes(service));
          const down = steps.findIndex((s) => s.unit === oldHome && s.removes.includes(service));
          expect(up, `${service} ${from?.strategy}→${to?.strategy}`).toBeGreaterThanOrEqual(0);
          expect(up).toBeLessThan(down);
        }
        replay(before, after, steps, retiringCycle(before, after));
        if (JSON.stringify(from) === JSON.stringify(to)) expect(steps).toEqual([]);
      }
  });

  it('handles services added to and removed from the app', () => {
    const before = plan({ strategy: 'per-service' });
    const grown: AppInput = {
      ...app,
      services: [...app.services.filter((s) => s.name !== 'payments'), { name: 'search' }],
    };
    grown.services = grown.services.map((s) => (s.name === 'orders' ? { name: 'orders' } : s));
    const after = plan({ strategy: 'per-service' }, grown);
    const steps = planTransition(before, after);
    expect(steps.map((s) => `${s.phase} ${s.unit}`)).toEqual([
      'create search',
      'repoint orders',
      'retire payments',
    ]);
    replay(before, after, steps);
  });

  it('replays random strategy changes on random apps without a gap', () => {
    const strategy = fc.oneof(
      fc.constant({ strategy: 'single' as const }),
      fc.constant({ strategy: 'per-service' as const }),
      fc.integer({ min: 1, max: 4 }).map((m) => ({ strategy: 'auto' as const, maxServicesPerUnit: m })),
    );
    const randomApp = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2 * n }).map((edges) => ({
        name: 'gen',
        services: Array.from({ length: n }, (_, i) => ({
          name: `s${i}`,
          calls: edges.filter(([f, t]) => f === i && t !== i).map(([, t]) => `s${t}`),
        })),
      })),
    );
    fc.assert(
      fc.property(randomApp, strategy, strategy, (a, from, to) => {
        const before = plan(from, a);
        const after = plan(to, a);
        replay(before, after, planTransition(before, after), retiringCycle(before, after));
      }),
      { numRuns: 150 },
    );
  });
});
