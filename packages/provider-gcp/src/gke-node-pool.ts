import type { protos } from '@google-cloud/container';
import {
  type AttributeChange,
  type Attributes,
  applyMapChange,
  assertPatchable,
  type CallContext,
  ConflictError,
  differs,
  effectiveMapChange,
  groupChanges,
  type JsonValue,
  type Observed,
  ProviderError,
  pollUntil,
  type ResourceRef,
  type ResourceType,
  ValidationError,
  type ValidationIssue,
  type WriteResult,
} from '@patchbay/core';
import { alreadyApplied } from './already-applied.js';
import {
  isAlreadyExists,
  isNotFound,
  isPassingGcpError,
  isStaleVersion,
  toProviderError,
} from './classify-gcp-error.js';
import { gcpRead } from './gcp-call.js';
import type { GcpContext } from './gcp-context.js';
import { labelIssues, labelsForCreate, observedLabels, ownedBy, toLabelMap } from './gcp-labels.js';
import { waitForGkeOperation } from './gke-operation.js';
import { ObservedCache } from './observed-cache.js';

type NodePool = protos.google.container.v1.INodePool;
type Operation = protos.google.container.v1.IOperation;

const TYPE = 'gcp.gke.nodepool';
const MAPS = ['labels'] as const;
const PATCHABLE = ['machineType', 'minNodes', 'maxNodes', 'labels'];

/**
 * `gcp.gke.nodepool`: an autoscaled node pool (`<env>-nodes`) of a GKE cluster. Each kind of change is its
 * own call, one after the other (GKE runs one operation per cluster): `updateNodePool` for the machine type
 * and for labels (GCE resource labels), guarded by the pool `etag`; `setNodePoolAutoscaling` for min/max,
 * which takes no etag, so the pool is re-read right before it and a moved etag is a conflict.
 */
export function gkeNodePool(ctx: GcpContext): ResourceType {
  const cache = new ObservedCache<NodePool>();
  const nameOf = (ref: ResourceRef): string => {
    if (ref.physicalId) return ref.physicalId;
    const location = (ref.identity?.location as string | undefined) ?? ctx.region;
    // Without identity (an interrupted create), the cluster is the environment's, named after it.
    const cluster = (ref.identity?.cluster as string | undefined) ?? ref.environment;
    return `projects/${ctx.project}/locations/${location}/clusters/${cluster}/nodePools/${ref.name}`;
  };

  const read = async (name: string, ref: ResourceRef, signal: AbortSignal): Promise<NodePool | undefined> => {
    const found = await gcpRead(
      'GetNodePool',
      ref.id,
      async () => (await ctx.gke.getNodePool({ name }, { signal } as object))[0],
      isNotFound,
    );
    const live = found && found.status !== 'STOPPING' ? found : undefined;
    if (live) cache.set(name, live.etag ?? undefined, live);
    else cache.delete(name);
    return live;
  };

  const readNow = async (name: string, ref: ResourceRef, call: CallContext): Promise<NodePool> => {
    const pool = await pollUntil(
      {
        provider: 'gcp',
        waitOutError: isPassingGcpError,
        what: `GKE node pool ${ref.name} readable`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs.gke,
        signal: call.signal,
        resource: ref.id,
      },
      async () => (await read(name, ref, call.signal)) ?? null,
    );
    if (!pool)
      throw new ProviderError('gcp', 'wait', 'not-found', `GKE node pool ${name} does not exist`, {
        resource: ref.id,
      });
    return pool;
  };

  const result = (name: string, pool: NodePool): WriteResult => {
    const observed = toObserved(name, pool);
    return {
      physicalId: observed.physicalId,
      attributes: observed.attributes,
      version: observed.version,
      outputs: observed.outputs,
    };
  };

  /** Runs one write and waits for its operation; a refused etag is a conflict. */
  const step = async (
    ref: ResourceRef,
    name: string,
    rpc: string,
    etag: string | undefined,
    write: () => Promise<[Operation, ...unknown[]]>,
    call: CallContext,
  ): Promise<void> => {
    try {
      const [op] = await write();
      await waitForGkeOperation(ctx, name.split('/')[3] as string, op, ref, call);
    } catch (error) {
      cache.delete(name);
      if (isStaleVersion(error)) {
        throw new ConflictError(ref.id, undefined, etag, undefined, {
          cause: error,
          reason: 'the node pool etag moved',
        });
      }
      throw toProviderError(error, rpc, ref.id);
    }
  };

  return {
    api: 'gke',
    precondition: 'version',
    serialUpdates: true,
    immutable: ['cluster', 'location'],
    identity: ['cluster', 'location'],
    maps: MAPS,
    normalize: normalizeNodePool,
    validate: (attributes, _ref, context) => nodePoolIssues(attributes, context.mayCreate),

    async observe(ref, call) {
      const name = nameOf(ref);
      const pool = await read(name, ref, call.signal);
      return pool ? toObserved(name, pool) : undefined;
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, nodePoolIssues(attrs, true));
      const location = (attrs.location as string | undefined) ?? ctx.region;
      const cluster = `projects/${ctx.project}/locations/${location}/clusters/${attrs.cluster as string}`;
      const name = `${cluster}/nodePools/${ref.name}`;
      const min = attrs.minNodes as number;
      const max = attrs.maxNodes as number;
      const nodePool: NodePool = {
        name: ref.name,
        initialNodeCount: Math.max(min, 1),
        config: {
          machineType: attrs.machineType as string,
          resourceLabels: labelsForCreate(ref, attrs.labels),
        },
        autoscaling: { enabled: true, minNodeCount: min, maxNodeCount: max },
      };
      try {
        const [op] = await ctx.gke.createNodePool({ parent: cluster, nodePool }, {
          signal: call.signal,
        } as object);
        await waitForGkeOperation(ctx, location, op, ref, call);
      } catch (error) {
        if (!isAlreadyExists(error)) throw toProviderError(error, 'CreateNodePool', ref.id);
        const existing = await read(name, ref, call.signal);
        if (!existing || !ownedBy(existing.config?.resourceLabels as Record<string, string>, ref)) {
          throw toProviderError(error, 'CreateNodePool', ref.id);
        }
        await pollUntil(
          {
            provider: 'gcp',
            waitOutError: isPassingGcpError,
            what: `GKE node pool ${ref.name} RUNNING`,
            intervalMs: ctx.pollIntervalMs,
            timeoutMs: ctx.waitTimeoutMs.gke,
            signal: call.signal,
            resource: ref.id,
          },
          async () => ((await read(name, ref, call.signal))?.status === 'RUNNING' ? true : undefined),
        );
      }
      return result(name, await readNow(name, ref, call));
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      const plain = Object.fromEntries(grouped.plain) as Attributes;
      const issues = nodePoolIssues(plain, false);
      issues.push(...labelIssues(grouped.maps.get('labels')?.set));
      throwIfInvalid(ref, issues);
      const name = nameOf(ref);
      let live: NodePool | undefined =
        precondition.kind === 'version' ? cache.get(name, precondition.version) : undefined;
      live ??= await read(name, ref, call.signal);
      if (!live)
        throw new ProviderError('gcp', 'patch', 'not-found', `GKE node pool ${name} does not exist`, {
          resource: ref.id,
        });
      let expectedEtag = precondition.kind === 'version' ? precondition.version : live.etag;
      if (live.etag !== expectedEtag) {
        if (alreadyApplied(toObserved(name, live).attributes, changes, normalizeNodePool))
          return result(name, live);
        throw new ConflictError(ref.id, changes[0]?.attribute, expectedEtag, live.etag, {
          reason: 'the node pool etag moved',
        });
      }
      const current = toObserved(name, live).attributes;
      const want = (a: string) => normalizeNodePool(a, grouped.plain.get(a) ?? null);
      const changed = (a: string) => grouped.plain.has(a) && differs(current[a], want(a));
      // After one of our own steps, the etag moved: re-read, and what is still to change must be as observed.
      let ownStepDone = false;
      const fresh = async (): Promise<NodePool> => {
        const now = await readNow(name, ref, call);
        if (ownStepDone) assertStillAsObserved(ref, changes, toObserved(name, now).attributes, grouped.plain);
        else if (now.etag !== expectedEtag) {
          throw new ConflictError(ref.id, changes[0]?.attribute, expectedEtag, now.etag, {
            reason: 'the node pool etag moved',
          });
        }
        expectedEtag = now.etag ?? undefined;
        return now;
      };
      // UpdateNodePool requires the node version and image type: the live ones, so neither changes.
      const pinned = (pool: NodePool) => ({
        nodeVersion: pool.version ?? '-',
        imageType: pool.config?.imageType ?? '',
      });

      if (changed('machineType')) {
        const base = live;
        await step(
          ref,
          name,
          'UpdateNodePool',
          base.etag ?? undefined,
          () =>
            ctx.gke.updateNodePool(
              { name, machineType: want('machineType') as string, ...pinned(base), etag: base.etag ?? '' },
              { signal: call.signal } as object,
            ),
          call,
        );
        ownStepDone = true;
        live = await fresh();
      }
      if (changed('minNodes') || changed('maxNodes')) {
        // setNodePoolAutoscaling takes no etag: check it on a read made right before the write.
        live = await fresh();
        const base = toObserved(name, live).attributes;
        const min = (changed('minNodes') ? want('minNodes') : base.minNodes) as number;
        const max = (changed('maxNodes') ? want('maxNodes') : base.maxNodes) as number;
        if (max < min) {
          throwIfInvalid(ref, [
            { path: ['maxNodes'], message: 'must be ≥ minNodes', received: max, allowed: `≥ ${min}` },
          ]);
        }
        await step(
          ref,
          name,
          'SetNodePoolAutoscaling',
          live.etag ?? undefined,
          () =>
            ctx.gke.setNodePoolAutoscaling(
              { name, autoscaling: { enabled: true, minNodeCount: min, maxNodeCount: max } },
              { signal: call.signal } as object,
            ),
          call,
        );
        ownStepDone = true;
        live = await fresh();
      }
      const liveLabels = toLabelMap((live.config?.resourceLabels ?? {}) as JsonValue);
      const labelChange = effectiveMapChange(liveLabels, grouped.maps.get('labels'));
      if (labelChange) {
        const base = live;
        await step(
          ref,
          name,
          'UpdateNodePool',
          base.etag ?? undefined,
          () =>
            ctx.gke.updateNodePool(
              {
                name,
                resourceLabels: { labels: applyMapChange(liveLabels, labelChange) },
                ...pinned(base),
                etag: base.etag ?? '',
              },
              { signal: call.signal } as object,
            ),
          call,
        );
        live = await readNow(name, ref, call);
      }
      return result(name, live);
    },

    async delete(ref, call) {
      const name = nameOf(ref);
      let op: Operation;
      try {
        [op] = await ctx.gke.deleteNodePool({ name }, { signal: call.signal } as object);
      } catch (error) {
        if (isNotFound(error)) return;
        throw toProviderError(error, 'DeleteNodePool', ref.id);
      }
      await waitForGkeOperation(ctx, name.split('/')[3] as string, op, ref, call);
      await pollUntil(
        {
          provider: 'gcp',
          waitOutError: isPassingGcpError,
          what: `GKE node pool ${ref.name} deleted`,
          intervalMs: ctx.pollIntervalMs,
          timeoutMs: ctx.waitTimeoutMs.gke,
          signal: call.signal,
          resource: ref.id,
        },
        async () => ((await read(name, ref, call.signal)) ? undefined : true),
      );
    },
  };
}

/** Between steps: each attribute still to change must hold the value observed when planned. */
function assertStillAsObserved(
  ref: ResourceRef,
  changes: readonly AttributeChange[],
  live: Attributes,
  plain: Map<string, JsonValue | undefined>,
): void {
  for (const change of changes) {
    const dot = change.attribute.indexOf('.');
    const head = dot === -1 ? change.attribute : change.attribute.slice(0, dot);
    const actual =
      dot === -1
        ? live[head]
        : (live[head] as Record<string, JsonValue> | undefined)?.[change.attribute.slice(dot + 1)];
    const target = dot === -1 ? normalizeNodePool(head, plain.get(head) ?? null) : change.to;
    // Already at the target (an earlier step of ours) is fine; anything else than `from` moved outside.
    if (differs(actual, change.from) && differs(actual, target))
      throw new ConflictError(ref.id, change.attribute, change.from, actual);
  }
}

function toObserved(name: string, pool: NodePool): Observed {
  const parts = name.split('/');
  const autoscaling = pool.autoscaling;
  const fixed = Number(pool.initialNodeCount ?? 0);
  const attributes: Attributes = {
    cluster: parts[5] ?? '',
    location: parts[3] ?? '',
    machineType: pool.config?.machineType ?? '',
    minNodes: autoscaling?.enabled ? Number(autoscaling.minNodeCount ?? 0) : fixed,
    maxNodes: autoscaling?.enabled ? Number(autoscaling.maxNodeCount ?? 0) : fixed,
    labels: observedLabels(pool.config?.resourceLabels as Record<string, string>),
  };
  return { physicalId: name, attributes, ...(pool.etag ? { version: pool.etag } : {}), outputs: { name } };
}

export function normalizeNodePool(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'minNodes':
    case 'maxNodes':
      return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    case 'cluster':
      return typeof value === 'string' ? (value.split('/').pop() ?? value) : value;
    case 'labels':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? toLabelMap(value) : value;
    default:
      return value;
  }
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function nodePoolIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const has = (a: string) => creating || a in attrs;
  if (has('cluster') && (typeof attrs.cluster !== 'string' || attrs.cluster === '')) {
    issues.push({ path: ['cluster'], message: 'must be the cluster name', received: attrs.cluster });
  }
  if (
    has('machineType') &&
    (typeof attrs.machineType !== 'string' || !/^[a-z0-9]+-[a-z0-9-]+$/.test(attrs.machineType))
  ) {
    issues.push({
      path: ['machineType'],
      message: 'must be a GCE machine type',
      received: attrs.machineType,
      allowed: 'e.g. "e2-standard-4"',
    });
  }
  for (const a of ['minNodes', 'maxNodes']) {
    if (
      has(a) &&
      !(Number.isInteger(attrs[a]) && (attrs[a] as number) >= 0 && (attrs[a] as number) <= 1000)
    ) {
      issues.push({
        path: [a],
        message: 'must be a whole number of nodes between 0 and 1000',
        received: attrs[a],
      });
    }
  }
  if (
    creating &&
    typeof attrs.maxNodes === 'number' &&
    (attrs.maxNodes < 1 || (typeof attrs.minNodes === 'number' && attrs.maxNodes < attrs.minNodes))
  ) {
    issues.push({ path: ['maxNodes'], message: 'must be ≥ 1 and ≥ minNodes', received: attrs.maxNodes });
  }
  if (creating) issues.push(...labelIssues(attrs.labels));
  return issues;
}
