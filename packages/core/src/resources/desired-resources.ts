import type { Allocation } from '../allocation/allocation.js';
import type { App, Environment } from '../model/index.js';
import { eksResources, fargateResources, rdsResources } from './aws-resources.js';
import { cloudRunResources, cloudSqlResources, gkeResources } from './gcp-resources.js';
import { kubernetesResources } from './kubernetes-resources.js';
import { neonResources } from './neon-resources.js';
import type { ResourceSpec } from './resource-spec.js';

/** Image of a unit whose services name none: a placeholder that starts and serves HTTP. */
export const DEFAULT_IMAGE = 'public.ecr.aws/nginx/nginx:stable';

export interface DesiredResourcesOptions {
  /**
   * The allocation currently deployed, when the allocation changes: kept units whose process changes then
   * wait for every new unit (make before break). Retired units are deleted after all creates and updates in
   * any case (the engine runs deletions last).
   */
  transitionFrom?: Allocation;
  /** Image for units whose services name none. @default DEFAULT_IMAGE */
  defaultImage?: string;
}

/**
 * The desired resource graph of an environment: stable logical ids, one type per target, dependencies,
 * ownership policies. See docs/engine.md for every type and attribute.
 *
 * @example
 * const allocation = planAllocation(app, env);
 * const plan = await engine.plan(desiredResources(env, app, allocation));
 */
export function desiredResources(
  env: Environment,
  app: App,
  allocation: Allocation,
  options: DesiredResourcesOptions = {},
): ResourceSpec[] {
  const image = (unit: string) =>
    allocation.units.find((u) => u.name === unit)?.image ?? options.defaultImage ?? DEFAULT_IMAGE;
  const specs: ResourceSpec[] = [];
  // Databases first: units refer to their outputs.
  specs.push(...rdsResources(env, app), ...cloudSqlResources(env, app), ...neonResources(env, app));
  switch (env.compute.kind) {
    case 'fargate':
      specs.push(...fargateResources(env, allocation, image));
      break;
    case 'cloud-run':
      specs.push(...cloudRunResources(env, allocation, image));
      break;
    case 'kubernetes':
      specs.push(...eksResources(env), ...gkeResources(env), ...kubernetesResources(env, allocation, image));
      break;
  }
  if (options.transitionFrom) makeBeforeBreak(specs, options.transitionFrom, allocation);
  return specs;
}

/** Kept units' processes wait for every new unit's process, so a repointed caller never calls a unit not yet up. */
function makeBeforeBreak(specs: ResourceSpec[], before: Allocation, after: Allocation): void {
  const old = new Set(before.units.map((u) => u.name));
  const created = after.units.filter((u) => !old.has(u.name)).map((u) => `compute/${u.name}`);
  if (created.length === 0) return;
  for (const unit of after.units) {
    if (!old.has(unit.name)) continue;
    const spec = specs.find((s) => s.id === `compute/${unit.name}`);
    if (spec) spec.dependsOn = [...new Set([...(spec.dependsOn ?? []), ...created])];
  }
}
