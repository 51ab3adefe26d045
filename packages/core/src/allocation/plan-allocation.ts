import { ValidationError, type ValidationIssue } from '../errors/index.js';
import { type App, type Environment, fitSizing, type Service } from '../model/index.js';
import type { DatabaseBinding, RuntimeConfig } from '../runtime/index.js';
import type { Allocation, Unit, UnitSizing } from './allocation.js';
import { bindDatabase } from './bind-database.js';
import { compare } from './call-graph.js';
import { type NamedGroup, serviceGroups } from './service-groups.js';
import { DEFAULT_PORT, unitBaseUrl } from './unit-base-url.js';

/**
 * Packs the app's services into units (processes) per the environment's allocation strategy.
 * Deterministic: the same app and environment always give the same allocation, whatever the order
 * of services in the input.
 * @throws ValidationError when the environment and app disagree (groups naming unknown services,
 *   sizing overrides for unknown services, databases with no `database` in the environment).
 * @example planAllocation(parseApp(appInput), parseEnvironment(envInput)).units.map((u) => u.name)
 */
export function planAllocation(app: App, env: Environment): Allocation {
  checkAgreement(app, env);
  const groups = serviceGroups(app, env);
  const byName = new Map(app.services.map((s) => [s.name, s]));
  const warnings: string[] = [];
  const placement: Record<string, string> = {};
  for (const group of groups) for (const service of group.services) placement[service] = group.name;

  const drafts = groups
    .sort((a, b) => compare(a.name, b.name))
    .map((group) => draftUnit(group, byName, env, warnings));
  const urls = new Map(drafts.map((d) => [d.name, d.url]));
  const units = drafts.map((draft) => ({
    ...draft,
    runtimeConfig: runtimeConfigFor(
      draft.name,
      draft.services,
      byName,
      (s) => urls.get(placement[s]!),
      (db) => bindDatabase(env, db),
    ),
  }));
  return {
    environment: env.name,
    app: app.name,
    strategy: env.allocation.strategy,
    units,
    placement,
    warnings,
  };
}

/**
 * A unit's runtime config, given where each service it may call lives (`urlOfService`) and how each
 * database reaches a process (`bind`, e.g. `(db) => bindDatabase(env, db)`).
 */
export function runtimeConfigFor(
  unit: string,
  services: readonly string[],
  byName: ReadonlyMap<string, Service>,
  urlOfService: (service: string) => string | undefined,
  bind: (database: string) => DatabaseBinding,
): RuntimeConfig {
  const local = new Set(services);
  const remotes: Record<string, string> = {};
  const databases: Record<string, DatabaseBinding> = {};
  const targets = new Set<string>();
  const dbs = new Set<string>();
  for (const name of services) {
    const service = byName.get(name);
    for (const call of service?.calls ?? []) if (!local.has(call.service)) targets.add(call.service);
    for (const db of service?.databases ?? []) dbs.add(db);
  }
  for (const target of [...targets].sort(compare)) {
    const url = urlOfService(target);
    if (url !== undefined) remotes[target] = url;
  }
  for (const db of [...dbs].sort(compare)) databases[db] = bind(db);
  return { unit, services: [...services], remotes, databases };
}

function draftUnit(
  group: NamedGroup,
  byName: ReadonlyMap<string, Service>,
  env: Environment,
  warnings: string[],
): Omit<Unit, 'runtimeConfig'> {
  const services = group.services.map((name) => byName.get(name)!);
  const ports = [...new Set(services.flatMap((s) => (s.port === undefined ? [] : [s.port])))].sort(
    (a, b) => a - b,
  );
  if (ports.length > 1)
    warnings.push(
      `unit ${group.name}: its services declare ports ${ports.join(', ')}; the process listens on ${ports[0]}`,
    );
  const port = ports[0] ?? DEFAULT_PORT;
  const images = [...new Set(services.flatMap((s) => (s.image === undefined ? [] : [s.image])))].sort(
    compare,
  );
  if (images.length > 1)
    warnings.push(`unit ${group.name}: its services name different images; the process uses ${images[0]}`);
  const databases = [...new Set(services.flatMap((s) => s.databases))].sort(compare);
  const publicServices = services.filter((s) => s.public).map((s) => s.name);
  return {
    name: group.name,
    services: group.services,
    gateway: publicServices.length > 0,
    publicServices,
    sizing: unitSizing(group.name, services, env, warnings),
    port,
    ...(images[0] !== undefined ? { image: images[0] } : {}),
    databases,
    url: unitBaseUrl(env, group.name, port),
  };
}

/**
 * The largest of the hosted services' sizes (base sizing with each one's override), raised to the sum
 * of their resource hints when that is more, then fitted to a size the compute kind offers.
 */
function unitSizing(
  unit: string,
  services: readonly Service[],
  env: Environment,
  warnings: string[],
): UnitSizing {
  const base = env.sizing;
  const sizing: UnitSizing = { cpu: 0, memory: 0, minInstances: 0, maxInstances: 0 };
  let hintCpu = 0;
  let hintMemory = 0;
  for (const service of services) {
    const override = base.services?.[service.name] ?? {};
    sizing.cpu = Math.max(sizing.cpu, override.cpu ?? base.cpu);
    sizing.memory = Math.max(sizing.memory, override.memory ?? base.memory);
    sizing.minInstances = Math.max(sizing.minInstances, override.minInstances ?? base.minInstances);
    sizing.maxInstances = Math.max(sizing.maxInstances, override.maxInstances ?? base.maxInstances);
    hintCpu += service.resources?.cpu ?? 0;
    hintMemory += service.resources?.memory ?? 0;
  }
  const fitted = fitSizing(
    env.compute.kind,
    Math.max(sizing.cpu, hintCpu),
    Math.max(sizing.memory, hintMemory),
  );
  if (fitted.capped)
    warnings.push(
      `unit ${unit}: its services need ${Math.max(sizing.cpu, hintCpu)} vCPU / ${Math.max(sizing.memory, hintMemory)} MiB, ` +
        `more than ${env.compute.kind} offers; capped at ${fitted.cpu} vCPU / ${fitted.memory} MiB`,
    );
  return { ...sizing, cpu: fitted.cpu, memory: fitted.memory };
}

function checkAgreement(app: App, env: Environment): void {
  const issues: ValidationIssue[] = [];
  const names = app.services.map((s) => s.name);
  const known = new Set(names);
  for (const service of Object.keys(env.sizing.services ?? {}))
    if (!known.has(service))
      issues.push({
        path: ['sizing', 'services', service],
        message: `overrides the size of unknown service "${service}"`,
        received: service,
        allowed: names,
      });
  if (app.databases.length > 0 && env.database === undefined)
    issues.push({
      path: ['database'],
      message: `the app uses databases (${app.databases.map((d) => d.name).join(', ')}) but the environment has none`,
      received: undefined,
      allowed: ['rds', 'cloud-sql', 'neon'],
    });
  if (issues.length > 0) throw new ValidationError('allocation', issues);
}
