import type { RuntimeConfig } from '../runtime/index.js';
import type { Allocation, Unit } from './allocation.js';
import { compare } from './call-graph.js';

/**
 * Phases of a transition, in order (make before break):
 * 1. `create` new units;
 * 2. `expand` kept units that gain services: they host their old and new services;
 * 3. `repoint` kept units whose config changes: remotes now point at the final homes (a unit that
 *    will lose services still hosts them here);
 * 4. `retire` units that are gone, callers before callees;
 * 5. `contract` kept units that lose services: they stop hosting what moved away.
 * A service therefore always has a running home, and no running unit calls a service at a unit that
 * has stopped hosting it.
 */
export type TransitionPhase = 'create' | 'expand' | 'repoint' | 'retire' | 'contract';

/** One ordered step of a transition between two allocations. */
export interface TransitionStep {
  action: 'create' | 'update' | 'retire';
  phase: TransitionPhase;
  unit: string;
  /** The unit as it is after this step (absent when retiring). */
  target?: Unit;
  /** Services this step starts hosting in `unit`. */
  adds: string[];
  /** Services this step stops hosting in `unit` (all of them when retiring). */
  removes: string[];
}

/**
 * The ordered steps that turn `before` into `after` without a moment where a service has no running
 * process or a caller points at a process that no longer hosts what it calls. Units equal in both
 * get no step.
 * @example planTransition(planAllocation(app, single), planAllocation(app, perService)).map((s) => `${s.action} ${s.unit}`)
 */
export function planTransition(before: Allocation, after: Allocation): TransitionStep[] {
  const old = new Map(before.units.map((u) => [u.name, u]));
  const next = new Map(after.units.map((u) => [u.name, u]));
  const creates: TransitionStep[] = [];
  const expands: TransitionStep[] = [];
  const repoints: TransitionStep[] = [];
  const retires: TransitionStep[] = [];
  const contracts: TransitionStep[] = [];

  for (const unit of after.units)
    if (!old.has(unit.name))
      creates.push({
        action: 'create',
        phase: 'create',
        unit: unit.name,
        target: unit,
        adds: unit.services,
        removes: [],
      });

  for (const unit of after.units) {
    const was = old.get(unit.name);
    if (!was || same(was, unit)) continue;
    const had = new Set(was.services);
    const keeps = new Set(unit.services);
    const adds = unit.services.filter((s) => !had.has(s));
    const removes = was.services.filter((s) => !keeps.has(s));
    let current = was;
    const update = (phase: TransitionPhase, target: Unit, stepAdds: string[], stepRemoves: string[]) => {
      if (same(current, target)) return;
      const step: TransitionStep = {
        action: 'update',
        phase,
        unit: unit.name,
        target,
        adds: stepAdds,
        removes: stepRemoves,
      };
      (phase === 'expand' ? expands : phase === 'repoint' ? repoints : contracts).push(step);
      current = target;
    };
    // Gaining units first host old and new services while still calling others at their current
    // homes; the final remotes may point at units that are themselves still expanding.
    if (adds.length > 0) update('expand', hold(was, unit, before, after, 'current'), adds, []);
    if (removes.length === 0) update('repoint', unit, [], []);
    else {
      update('repoint', hold(was, unit, before, after, 'final'), [], []);
      update('contract', unit, [], removes);
    }
  }

  for (const unit of retireOrder(before.units.filter((u) => !next.has(u.name))))
    retires.push({ action: 'retire', phase: 'retire', unit: unit.name, adds: [], removes: unit.services });
  return [...creates, ...expands, ...repoints, ...retires, ...contracts];
}

/**
 * Retiring units still serve in-flight calls from each other, so callers go first: a unit is retired
 * after every retiring unit that calls it (Kahn's algorithm, name order among equals; a call cycle is
 * broken at its alphabetically first unit).
 */
function retireOrder(units: Unit[]): Unit[] {
  const byUrl = new Map(units.map((u) => [u.url, u]));
  const callers = new Map(units.map((u) => [u.name, 0]));
  const callees = new Map<string, Unit[]>();
  for (const unit of units) {
    const targets = new Set<Unit>();
    for (const url of Object.values(unit.runtimeConfig.remotes)) {
      const target = byUrl.get(url);
      if (target && target !== unit) targets.add(target);
    }
    callees.set(unit.name, [...targets]);
    for (const target of targets) callers.set(target.name, callers.get(target.name)! + 1);
  }
  const order: Unit[] = [];
  const left = new Map(units.map((u) => [u.name, u]));
  while (left.size > 0) {
    const ready = [...left.values()].filter((u) => callers.get(u.name) === 0);
    const next = (ready.length > 0 ? ready : [...left.values()]).sort((a, b) => compare(a.name, b.name))[0]!;
    left.delete(next.name);
    order.push(next);
    for (const target of callees.get(next.name)!) callers.set(target.name, callers.get(target.name)! - 1);
  }
  return order;
}

/**
 * `was` hosting both its old services and its final ones, calling remote services at their `current`
 * homes (during expand, before the new homes host them) or at their `final` homes (repoint).
 */
function hold(
  was: Unit,
  unit: Unit,
  before: Allocation,
  after: Allocation,
  homes: 'current' | 'final',
): Unit {
  const services = [...new Set([...was.services, ...unit.services])].sort(compare);
  const local = new Set(services);
  const urlBefore = new Map(before.units.map((u) => [u.name, u.url]));
  const urlAfter = new Map(after.units.map((u) => [u.name, u.url]));
  const remotes: Record<string, string> = {};
  const targets = [
    ...new Set([...Object.keys(was.runtimeConfig.remotes), ...Object.keys(unit.runtimeConfig.remotes)]),
  ];
  for (const target of targets.sort(compare)) {
    if (local.has(target)) continue;
    const home = homes === 'current' ? before.placement[target] : undefined;
    const url = home !== undefined ? urlBefore.get(home) : urlAfter.get(after.placement[target] ?? '');
    if (url !== undefined) remotes[target] = url;
  }
  const runtimeConfig: RuntimeConfig = {
    unit: unit.name,
    services,
    remotes,
    databases: { ...was.runtimeConfig.databases, ...unit.runtimeConfig.databases },
  };
  const publicServices = [...new Set([...was.publicServices, ...unit.publicServices])].sort(compare);
  return {
    ...unit,
    services,
    gateway: publicServices.length > 0,
    publicServices,
    sizing: {
      cpu: Math.max(was.sizing.cpu, unit.sizing.cpu),
      memory: Math.max(was.sizing.memory, unit.sizing.memory),
      minInstances: Math.max(was.sizing.minInstances, unit.sizing.minInstances),
      maxInstances: Math.max(was.sizing.maxInstances, unit.sizing.maxInstances),
    },
    databases: [...new Set([...was.databases, ...unit.databases])].sort(compare),
    runtimeConfig,
  };
}

function same(a: Unit, b: Unit): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
