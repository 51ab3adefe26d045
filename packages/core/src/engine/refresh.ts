import type { Observed } from '../provider/provider.js';
import type { JsonValue } from '../resources/resource-spec.js';
import { flattenAttributes, splitMapPath } from './flatten-attributes.js';
import { linkedSignal } from './linked-signal.js';
import type { EngineContext } from './plan.js';
import { stateRef } from './plan.js';
import { hashSensitive } from './sensitive-hash.js';
import { jsonEqual } from './three-way.js';

/** One attribute that moved outside Patchbay (values omitted for sensitive attributes). */
export interface DriftedAttribute {
  attribute: string;
  lastApplied?: JsonValue;
  observed?: JsonValue;
  sensitive?: true;
}

export interface ResourceDrift {
  id: string;
  type: string;
  name: string;
  status: 'in-sync' | 'drifted' | 'missing' | 'external' | 'unknown-type';
  attributes: DriftedAttribute[];
  managedBy?: string;
}

/** What `refresh()` found. It never writes to the cloud or the state. */
export interface DriftReport {
  environment: string;
  revision: number;
  resources: ResourceDrift[];
  drifted: number;
  missing: number;
  /** Provider reads made. */
  reads: number;
}

export interface RefreshOptions {
  signal?: AbortSignal;
}

/** Read every resource in state (through the rate limits) and report what moved since it was last applied. */
export async function refreshState(ctx: EngineContext, options: RefreshOptions = {}): Promise<DriftReport> {
  const { signal, dispose } = linkedSignal(options.signal);
  const state = await ctx.store.read(ctx.environment);
  const startCalls = ctx.runner.calls;
  const resources = await Promise.all(
    Object.entries(state.resources).map(async ([id, record]): Promise<ResourceDrift> => {
      const base = { id, type: record.type, name: record.name, attributes: [] as DriftedAttribute[] };
      const resolved = ctx.registry.resolve(record.type);
      if (!resolved) return { ...base, status: 'unknown-type' };
      const observed: Observed | undefined = await ctx.runner.run(
        resolved,
        { resource: id, operation: 'observe', signal },
        (c) => resolved.type.observe(stateRef(ctx.environment, id, record, resolved.type), c),
      );
      if (!observed) return { ...base, status: 'missing' };
      if (observed.managedBy) return { ...base, status: 'external', managedBy: observed.managedBy };
      const maps = resolved.type.maps;
      const flatO = flattenAttributes(observed.attributes, maps);
      for (const [path, l] of flattenAttributes(record.attributes, maps)) {
        const secret = record.sensitive?.includes(splitMapPath(path, maps)[0]);
        const raw = flatO.get(path);
        if (secret && raw === undefined) continue;
        const o = secret && raw !== undefined ? hashSensitive(raw) : raw;
        if (jsonEqual(o, l)) continue;
        base.attributes.push(
          secret
            ? { attribute: path, sensitive: true }
            : { attribute: path, lastApplied: l, ...(raw !== undefined ? { observed: raw } : {}) },
        );
      }
      return { ...base, status: base.attributes.length ? 'drifted' : 'in-sync' };
    }),
  ).finally(dispose);
  const report: DriftReport = {
    environment: ctx.environment,
    revision: state.revision,
    resources,
    drifted: resources.filter((r) => r.status === 'drifted').length,
    missing: resources.filter((r) => r.status === 'missing').length,
    reads: ctx.runner.calls - startCalls,
  };
  ctx.events.emit('refresh:finished', {
    resources: resources.length,
    drifted: report.drifted,
    missing: report.missing,
    apiCalls: report.reads,
  });
  return report;
}
