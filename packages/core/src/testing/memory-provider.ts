import { isDeepStrictEqual } from 'node:util';
import { readAttribute, splitMapPath, writeAttribute } from '../engine/flatten-attributes.js';
import { ConflictError } from '../errors/conflict-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type {
  ApiLimit,
  CallContext,
  Observed,
  Provider,
  ResourceRef,
  ResourceType,
} from '../provider/provider.js';
import type { Attributes, JsonValue } from '../resources/resource-spec.js';

/** Behaviour of one in-memory resource type. */
export interface MemoryTypeOptions {
  /** @default 'version' */
  precondition?: 'version' | 'read-before-write';
  immutable?: string[];
  stateful?: boolean;
  serialUpdates?: boolean;
  /** @default ['tags'] */
  maps?: string[];
  api?: string;
  /** Every patch makes a new revision and a new `arn` output (like an ECS task definition). @default false */
  revisioned?: boolean;
  /** Attributes whose patched values wait in `pending` until `cloud.applyPending()` (like RDS). */
  deferred?: string[];
  normalize?(attribute: string, value: JsonValue): JsonValue;
  /** Extra outputs, each valued `<physicalId>/<name>` (e.g. `endpoint` of a database). */
  outputs?: string[];
}

export interface MemoryProviderOptions {
  /** Provider name, the prefix of its types. @default 'memory' */
  name?: string;
  /** Simulated latency of every call, in ms. @default 0 */
  latencyMs?: number;
  /**
   * Types by short name (`service` → `memory.service`).
   * @default { service: {}, task: { revisioned: true }, database: { stateful: true, immutable: ['engine'], serialUpdates: true, precondition: 'read-before-write', deferred: ['instanceClass'] } }
   */
  types?: Record<string, MemoryTypeOptions>;
  /** Share a cloud between provider instances (e.g. a "restarted" process). @default a new MemoryCloud */
  cloud?: MemoryCloud;
  limits?: Record<string, ApiLimit>;
}

/** A call about to be made or just made; a hook may throw to inject a fault. */
export interface MemoryCall {
  type: string;
  operation: 'observe' | 'create' | 'patch' | 'delete';
  name: string;
  phase: 'before' | 'after';
}

export interface MemoryResource {
  type: string;
  name: string;
  physicalId: string;
  attributes: Attributes;
  pending: Attributes;
  version: number;
  revision: number;
  managedBy?: string;
  idempotencyToken?: string;
}

/**
 * The simulated cloud behind `memoryProvider()`: resources, a "console" for out-of-band edits, call
 * counters and a fault hook.
 */
export class MemoryCloud {
  calls = 0;
  readonly callsByOperation: Record<string, number> = {};
  /** Called before and after every call; throw from it to inject a fault (or a crash). */
  hook?: (call: MemoryCall) => void | Promise<void>;
  private readonly resources = new Map<string, MemoryResource>();
  private nextId = 1;

  get(type: string, name: string): MemoryResource | undefined {
    const r = this.resources.get(key(type, name));
    return r ? structuredClone(r) : undefined;
  }

  list(type?: string): MemoryResource[] {
    return [...this.resources.values()]
      .filter((r) => !type || r.type === type)
      .map((r) => structuredClone(r));
  }

  /** A person's console edit: sets (or with `null`… `undefined`, removes) attribute paths, bumps the version. */
  edit(
    type: string,
    name: string,
    changes: Record<string, JsonValue | undefined>,
    maps: readonly string[] = ['tags'],
  ): void {
    const r = this.must(type, name);
    for (const [path, value] of Object.entries(changes)) writeAttribute(r.attributes, path, value, maps);
    r.version++;
  }

  /** Delete outside Patchbay. */
  remove(type: string, name: string): void {
    this.resources.delete(key(type, name));
  }

  /** Create outside Patchbay (for adoption and name-clash tests). */
  put(type: string, name: string, attributes: Attributes, managedBy?: string): MemoryResource {
    const r: MemoryResource = {
      type,
      name,
      physicalId: `mem:${type}/${name}#${this.nextId++}`,
      attributes: structuredClone(attributes),
      pending: {},
      version: 1,
      revision: 1,
      ...(managedBy ? { managedBy } : {}),
    };
    this.resources.set(key(type, name), r);
    return structuredClone(r);
  }

  /** Let pending (deferred) changes take effect, as a maintenance window would. */
  applyPending(): void {
    for (const r of this.resources.values()) {
      if (Object.keys(r.pending).length === 0) continue;
      Object.assign(r.attributes, r.pending);
      r.pending = {};
      r.version++;
    }
  }

  resetCounters(): void {
    this.calls = 0;
    for (const k of Object.keys(this.callsByOperation)) delete this.callsByOperation[k];
  }

  /** @internal */
  count(operation: string): void {
    this.calls++;
    this.callsByOperation[operation] = (this.callsByOperation[operation] ?? 0) + 1;
  }

  /** @internal */
  find(ref: ResourceRef): MemoryResource | undefined {
    if (ref.physicalId) {
      for (const r of this.resources.values()) if (r.physicalId === ref.physicalId) return r;
      return undefined;
    }
    return this.resources.get(key(ref.type, ref.name));
  }

  /** @internal */
  insert(type: string, name: string, attributes: Attributes, token: string): MemoryResource {
    const r: MemoryResource = {
      type,
      name,
      physicalId: `mem:${type}/${name}#${this.nextId++}`,
      attributes: structuredClone(attributes),
      pending: {},
      version: 1,
      revision: 1,
      idempotencyToken: token,
    };
    this.resources.set(key(type, name), r);
    return r;
  }

  private must(type: string, name: string): MemoryResource {
    const r = this.resources.get(key(type, name));
    if (!r) throw new Error(`memory cloud has no ${type} named ${name}`);
    return r;
  }
}

const DEFAULT_TYPES: Record<string, MemoryTypeOptions> = {
  service: {},
  task: { revisioned: true },
  database: {
    stateful: true,
    immutable: ['engine'],
    serialUpdates: true,
    precondition: 'read-before-write',
    deferred: ['instanceClass'],
  },
};

/**
 * A small in-memory provider: core's own tests, the quickstart and users' tests use it. Types behave like
 * real APIs in the ways the engine cares about: version tokens or read-before-write, immutable attributes,
 * idempotency tokens, pending modifications, revisioned outputs, latency.
 *
 * @example
 * const memory = memoryProvider({ latencyMs: 20 });
 * const engine = createEngine({ environment: 'test', providers: [memory], store: new MemoryStore() });
 * memory.cloud.edit('memory.service', 'api', { replicas: 5 }); // a console edit
 */
export function memoryProvider(options: MemoryProviderOptions = {}): Provider & { cloud: MemoryCloud } {
  const name = options.name ?? 'memory';
  const cloud = options.cloud ?? new MemoryCloud();
  const latency = options.latencyMs ?? 0;
  const types: Record<string, ResourceType> = {};
  for (const [short, typeOptions] of Object.entries(options.types ?? DEFAULT_TYPES)) {
    types[`${name}.${short}`] = memoryType(cloud, `${name}.${short}`, typeOptions, latency);
  }
  return { name, types, cloud, ...(options.limits ? { limits: options.limits } : {}) };
}

function memoryType(
  cloud: MemoryCloud,
  typeName: string,
  o: MemoryTypeOptions,
  latency: number,
): ResourceType {
  const maps = o.maps ?? ['tags'];
  const call = async <T>(
    operation: MemoryCall['operation'],
    ref: ResourceRef,
    ctx: CallContext,
    fn: () => T,
  ) => {
    cloud.count(operation);
    await cloud.hook?.({ type: typeName, operation, name: ref.name, phase: 'before' });
    await delay(latency, ctx.signal);
    const result = fn();
    await cloud.hook?.({ type: typeName, operation, name: ref.name, phase: 'after' });
    return result;
  };
  const observed = (r: MemoryResource): Observed => ({
    physicalId: r.physicalId,
    attributes: structuredClone(r.attributes),
    version: String(r.version),
    outputs: outputs(r, o),
    ...(Object.keys(r.pending).length ? { pending: structuredClone(r.pending) } : {}),
    ...(r.managedBy ? { managedBy: r.managedBy } : {}),
  });
  const notFound = (ref: ResourceRef, operation: string) =>
    new ProviderError('memory', operation, 'not-found', `${typeName} ${ref.name} does not exist`, {
      resource: ref.id,
    });

  const type: ResourceType = {
    precondition: o.precondition ?? 'version',
    maps,
    observe: (ref, ctx) =>
      call('observe', ref, ctx, () => {
        const r = cloud.find(ref);
        return r ? observed(r) : undefined;
      }),
    create: (input, ctx) =>
      call('create', input.ref, ctx, () => {
        const existing = cloud.find({ ...input.ref, physicalId: undefined } as ResourceRef);
        if (existing) {
          // The API's idempotency: the same token returns the resource that token made.
          if (existing.idempotencyToken === input.idempotencyToken)
            return {
              physicalId: existing.physicalId,
              outputs: outputs(existing, o),
              version: String(existing.version),
            };
          throw new ProviderError(
            'memory',
            'create',
            'conflict',
            `${typeName} ${input.ref.name} already exists`,
            { resource: input.ref.id },
          );
        }
        const r = cloud.insert(typeName, input.ref.name, input.attributes, input.idempotencyToken);
        return { physicalId: r.physicalId, outputs: outputs(r, o), version: String(r.version) };
      }),
    patch: async (ref, changes, precondition, ctx) => {
      if (precondition.kind === 'read-before-write') {
        // No version token: re-read right before writing and refuse if an expected value moved.
        const current = await call('observe', ref, ctx, () => cloud.find(ref));
        if (!current) throw notFound(ref, 'patch');
        for (const { attribute: path } of changes) {
          const expected = precondition.expected[path];
          const actual = readAttribute(current.attributes, path, maps);
          if (!isDeepStrictEqual(actual, expected)) throw new ConflictError(ref.id, path, expected, actual);
        }
      }
      return call('patch', ref, ctx, () => {
        const r = cloud.find(ref);
        if (!r) throw notFound(ref, 'patch');
        if (precondition.kind === 'version' && precondition.version !== String(r.version)) {
          throw new ConflictError(ref.id, undefined, precondition.version, String(r.version), {
            reason: 'version token moved',
          });
        }
        for (const change of changes) {
          const base = splitMapPath(change.attribute, maps)[0];
          if (o.deferred?.includes(base) && change.to !== undefined) r.pending[change.attribute] = change.to;
          else writeAttribute(r.attributes, change.attribute, change.to, maps);
        }
        r.version++;
        if (o.revisioned) r.revision++;
        return { physicalId: r.physicalId, outputs: outputs(r, o), version: String(r.version) };
      });
    },
    delete: (ref, ctx) =>
      call('delete', ref, ctx, () => {
        const r = cloud.find(ref);
        if (!r) throw notFound(ref, 'delete');
        cloud.remove(r.type, r.name);
      }),
  };
  if (o.immutable) type.immutable = o.immutable;
  if (o.stateful) type.stateful = true;
  if (o.serialUpdates) type.serialUpdates = true;
  if (o.api) type.api = o.api;
  if (o.normalize) type.normalize = o.normalize;
  return type;
}

function outputs(r: MemoryResource, o: MemoryTypeOptions): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = o.revisioned
    ? { id: r.physicalId, arn: `${r.physicalId}:${r.revision}`, revision: r.revision }
    : { id: r.physicalId, arn: r.physicalId };
  for (const name of o.outputs ?? []) out[name] = `${r.physicalId}/${name}`;
  return out;
}

function key(type: string, name: string): string {
  return `${type}\u0000${name}`;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
