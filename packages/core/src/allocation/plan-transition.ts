import type { RuntimeConfig } from '../runtime/index.js';
import type { Allocation, Unit } from './allocation.js';
import { compare } from './call-graph.js';

/**
 * Phases of a transition, in order (make before break):
 * `create` new units → `expand` units that gain services (hosting old and new ones) → `repoint`
 * units whose config changes without losing services → `contract` units that lose services →
 * `retire` units that are gone. A service therefore always has a running home, and callers are
 * repointed before its old home stops hosting it.
 */
export type TransitionPhase = 'create' | 'expand' | 'repoint' | 'contract' | 'retire';

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
  const steps: TransitionStep[] = [];
  const later: { phase: 'repoint' | 'contract'; step: TransitionStep }[] = [];

  for (const unit of after.units)
    if (!old.has(unit.name))
      steps.push({
        action: 'create',
        phase: 'create',
        unit: unit.name,
        target: unit,
        adds: unit.services,
        removes: [],
      });

  for (const unit of after.units) {
    const was = old.get(unit.name);
    if (!was) continue;
    const had = new Set(was.services);
    const keeps = new Set(unit.services);
    const adds = unit.services.filter((s) => !had.has(s));
    const removes = was.services.filter((s) => !keeps.has(s));
    let current = was;
    if (adds.length > 0) {
      const expanded = removes.length > 0 ? expand(was, unit, before, after) : unit;
      const done = same(expanded, unit);
      steps.push({
        action: 'update',
        phase: 'expand',
        unit: unit.name,
        target: done ? unit : expanded,
        adds,
        removes: [],
      });
      if (done) continue;
      current = expanded;
    }
    if (!same(current, unit))
      later.push({
        phase: removes.length > 0 ? 'contract' : 'repoint',
        step: {
          action: 'update',
          phase: removes.length > 0 ? 'contract' : 'repoint',
          unit: unit.name,
          target: unit,
          adds: [],
          removes,
        },
      });
  }
  for (const phase of ['repoint', 'contract'] as const)
    for (const entry of later) if (entry.phase === phase) steps.push(entry.step);

  for (const unit of before.units)
    if (!next.has(unit.name))
      steps.push({ action: 'retire', phase: 'retire', unit: unit.name, adds: [], removes: unit.services });
  return steps;
}

/**
 * `was` hosting both its old services and the ones it gains, still calling moved services at their
 * old homes (which keep running until the contract phase).
 */
function expand(was: Unit, unit: Unit, before: Allocation, after: Allocation): Unit {
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
    const home = before.placement[target];
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
