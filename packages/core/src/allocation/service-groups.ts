import { ValidationError, type ValidationIssue } from '../errors/index.js';
import type { App, Environment } from '../model/index.js';
import { type AutoService, autoGroups } from './auto-groups.js';
import { callGraph, compare } from './call-graph.js';

/** A group of services that will share a process, with the unit name it gets. */
export interface NamedGroup {
  name: string;
  services: string[];
}

/** Name of the one unit under `single`. */
export const SINGLE_UNIT_NAME = 'app';

/**
 * Splits the app's services into named groups according to the environment's strategy.
 * @throws ValidationError for `groups` that name unknown services, name one twice, or miss some.
 */
export function serviceGroups(app: App, env: Environment): NamedGroup[] {
  const names = app.services.map((s) => s.name).sort(compare);
  const allocation = env.allocation;
  switch (allocation.strategy) {
    case 'single':
      return [{ name: SINGLE_UNIT_NAME, services: names }];
    case 'per-service':
      return names.map((name) => ({ name, services: [name] }));
    case 'groups':
      return explicitGroups(names, allocation.groups);
    case 'auto': {
      const overrides = env.sizing.services ?? {};
      const services: AutoService[] = app.services.map((s) => ({
        name: s.name,
        cpu: s.resources?.cpu ?? overrides[s.name]?.cpu ?? 0,
        memory: s.resources?.memory ?? overrides[s.name]?.memory ?? 0,
        isolate: s.isolate,
      }));
      services.sort((a, b) => compare(a.name, b.name));
      const graph = callGraph(app);
      return autoGroups(services, graph, allocation).map((group) => ({
        name: anchorOf(group, graph),
        services: group,
      }));
    }
  }
}

/**
 * The service an `auto` unit is named after: the one with the most call weight to the other members
 * (its hub), ties going to the alphabetically first. It depends only on the group's own members and
 * calls, so adding or removing services that don't call into the group never renames it.
 */
export function anchorOf(
  group: readonly string[],
  graph: ReadonlyMap<string, ReadonlyMap<string, number>>,
): string {
  const members = new Set(group);
  let anchor = group[0]!;
  let best = -1;
  for (const service of group) {
    let weight = 0;
    for (const [other, w] of graph.get(service) ?? []) if (members.has(other)) weight += w;
    if (weight > best || (weight === best && compare(service, anchor) < 0)) {
      anchor = service;
      best = weight;
    }
  }
  return anchor;
}

function explicitGroups(names: string[], groups: Record<string, string[]>): NamedGroup[] {
  const known = new Set(names);
  const seen = new Map<string, string>();
  const issues: ValidationIssue[] = [];
  const out: NamedGroup[] = [];
  for (const [group, services] of Object.entries(groups).sort(([a], [b]) => compare(a, b))) {
    const members: string[] = [];
    services.forEach((service, i) => {
      const path = ['allocation', 'groups', group, i];
      if (!known.has(service))
        issues.push({ path, message: `unknown service "${service}"`, received: service, allowed: names });
      else if (seen.has(service))
        issues.push({
          path,
          message: `service "${service}" is already in group "${seen.get(service)}"`,
          received: service,
          allowed: 'each service in exactly one group',
        });
      else {
        seen.set(service, group);
        members.push(service);
      }
    });
    out.push({ name: group, services: members.sort(compare) });
  }
  const missing = names.filter((n) => !seen.has(n));
  if (missing.length > 0)
    issues.push({
      path: ['allocation', 'groups'],
      message: `services in no group: ${missing.join(', ')}`,
      received: Object.keys(groups),
      allowed: 'every service in exactly one group',
    });
  if (issues.length > 0) throw new ValidationError('allocation', issues);
  return out;
}
