import type { protos } from '@google-cloud/container';
import {
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
import { kubernetesMinor, minorSteps } from './gke-version.js';
import { ObservedCache } from './observed-cache.js';

type Cluster = protos.google.container.v1.ICluster;

const TYPE = 'gcp.gke.cluster';
const MAPS = ['labels'] as const;
const PATCHABLE = ['version', 'labels'];
/** A standard cluster is created with this one-node pool, removed once the cluster runs (node pools are their own resources). */
const BOOTSTRAP_POOL = 'default-pool';

/**
 * `gcp.gke.cluster`: a GKE cluster (`<env>`). Compare-and-set on the cluster `etag` (version upgrades) and the
 * `labelFingerprint` (labels, through setResourceLabels). GKE takes one `desired*` field per `updateCluster`
 * and one operation per cluster, so a patch is a sequence of single-field steps, each waited out.
 */
export function gkeCluster(ctx: GcpContext): ResourceType {
  const cache = new ObservedCache<Cluster>();
  const nameOf = (ref: ResourceRef): string =>
    ref.physicalId ??
    `projects/${ctx.project}/locations/${(ref.identity?.location as string | undefined) ?? ctx.region}/clusters/${ref.name}`;

  const read = async (name: string, ref: ResourceRef, signal: AbortSignal): Promise<Cluster | undefined> => {
    const found = await gcpRead(
      'GetCluster',
      ref.id,
      async () => (await ctx.gke.getCluster({ name }, { signal } as object))[0],
      isNotFound,
    );
    const live = found && found.status !== 'STOPPING' ? found : undefined;
    if (live) cache.set(name, live.etag ?? undefined, live);
    else cache.delete(name);
    return live;
  };

  const readNow = async (name: string, ref: ResourceRef, call: CallContext): Promise<Cluster> => {
    const cluster = await pollUntil(
      {
        provider: 'gcp',
        waitOutError: isPassingGcpError,
        what: `GKE cluster ${ref.name} readable`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: ctx.waitTimeoutMs.gke,
        signal: call.signal,
        resource: ref.id,
      },
      async () => (await read(name, ref, call.signal)) ?? null,
    );
    if (!cluster)
      throw new ProviderError('gcp', 'wait', 'not-found', `GKE cluster ${name} does not exist`, {
        resource: ref.id,
      });
    return cluster;
  };

  const result = (cluster: Cluster): WriteResult => {
    const observed = toObserved(cluster, ctx.project);
    return {
      physicalId: observed.physicalId,
      attributes: observed.attributes,
      version: observed.version,
      outputs: observed.outputs,
    };
  };

  return {
    api: 'gke',
    precondition: 'version',
    stateful: true,
    serialUpdates: true,
    immutable: ['location', 'autopilot', 'network', 'subnetwork'],
    identity: ['location'],
    maps: MAPS,
    normalize: normalizeGkeCluster,
    validate: (attributes, _ref, context) => clusterIssues(attributes, context.mayCreate),

    async observe(ref, call) {
      const cluster = await read(nameOf(ref), ref, call.signal);
      return cluster ? toObserved(cluster, ctx.project) : undefined;
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, clusterIssues(attrs, true));
      const location = (attrs.location as string | undefined) ?? ctx.region;
      const name = `projects/${ctx.project}/locations/${location}/clusters/${ref.name}`;
      const autopilot = attrs.autopilot === true;
      const cluster: Cluster = {
        name: ref.name,
        resourceLabels: labelsForCreate(ref, attrs.labels),
        autopilot: { enabled: autopilot },
        ...(attrs.version ? { initialClusterVersion: attrs.version as string } : {}),
        ...(attrs.network ? { network: attrs.network as string } : {}),
        ...(attrs.subnetwork ? { subnetwork: attrs.subnetwork as string } : {}),
        ...(autopilot ? {} : { nodePools: [{ name: BOOTSTRAP_POOL, initialNodeCount: 1 }] }),
      };
      try {
        const [op] = await ctx.gke.createCluster(
          { parent: `projects/${ctx.project}/locations/${location}`, cluster },
          { signal: call.signal } as object,
        );
        await waitForGkeOperation(ctx, location, op, ref, call);
      } catch (error) {
        if (!isAlreadyExists(error)) throw toProviderError(error, 'CreateCluster', ref.id);
        // A crashed or retried earlier create of ours: wait for it; anyone else's is a conflict.
        const existing = await read(name, ref, call.signal);
        if (!existing || !ownedBy(existing.resourceLabels as Record<string, string>, ref))
          throw toProviderError(error, 'CreateCluster', ref.id);
        await pollUntil(
          {
            provider: 'gcp',
            waitOutError: isPassingGcpError,
            what: `GKE cluster ${ref.name} RUNNING`,
            intervalMs: ctx.pollIntervalMs,
            timeoutMs: ctx.waitTimeoutMs.gke,
            signal: call.signal,
            resource: ref.id,
          },
          async () => ((await read(name, ref, call.signal))?.status === 'RUNNING' ? true : undefined),
        );
      }
      let live = await readNow(name, ref, call);
      if (!autopilot && live.nodePools?.some((p) => p.name === BOOTSTRAP_POOL)) {
        call.progress(`GKE cluster ${ref.name}: removing the bootstrap node pool`);
        const [op] = await ctx.gke
          .deleteNodePool({ name: `${name}/nodePools/${BOOTSTRAP_POOL}` }, { signal: call.signal } as object)
          .catch((error: unknown) => {
            throw toProviderError(error, 'DeleteNodePool', ref.id);
          });
        await waitForGkeOperation(ctx, location, op, ref, call);
        live = await readNow(name, ref, call);
      }
      return result(live);
    },

    async patch(ref, changes, precondition, call) {
      const grouped = groupChanges(changes, MAPS);
      assertPatchable(TYPE, grouped, PATCHABLE);
      const name = nameOf(ref);
      const location = name.split('/')[3] as string;
      let live: Cluster | undefined =
        precondition.kind === 'version' ? cache.get(name, precondition.version) : undefined;
      live ??= await read(name, ref, call.signal);
      if (!live)
        throw new ProviderError('gcp', 'patch', 'not-found', `GKE cluster ${name} does not exist`, {
          resource: ref.id,
        });
      if (precondition.kind === 'version' && live.etag !== precondition.version) {
        if (alreadyApplied(toObserved(live, ctx.project).attributes, changes, normalizeGkeCluster))
          return result(live);
        throw conflict(ref, changes[0]?.attribute, precondition.version, live.etag);
      }
      const issues = clusterIssues(Object.fromEntries(grouped.plain) as Attributes, false);
      issues.push(...labelIssues(grouped.maps.get('labels')?.set));
      const wantVersion = grouped.plain.get('version');
      const current = toObserved(live, ctx.project).attributes;
      const steps =
        wantVersion !== undefined ? minorSteps(current.version, kubernetesMinor(wantVersion as string)) : 0;
      if (steps !== undefined && (steps > 1 || steps < 0)) {
        issues.push({
          path: ['version'],
          message:
            steps < 0 ? 'cannot downgrade a GKE control plane' : 'GKE upgrades one minor version at a time',
          received: wantVersion,
          allowed: `the live minor (${current.version}) or the next one`,
        });
      }
      throwIfInvalid(ref, issues);

      // Step 1: the control plane version (one desired* field, guarded by the etag).
      if (wantVersion !== undefined && differs(current.version, kubernetesMinor(wantVersion as string))) {
        const etag = live.etag ?? '';
        try {
          const [op] = await ctx.gke.updateCluster(
            { name, update: { desiredMasterVersion: wantVersion as string, etag } },
            { signal: call.signal } as object,
          );
          await waitForGkeOperation(ctx, location, op, ref, call);
        } catch (error) {
          cache.delete(name);
          if (isStaleVersion(error)) throw conflict(ref, 'version', etag, undefined, error);
          throw toProviderError(error, 'UpdateCluster', ref.id);
        }
        live = await readNow(name, ref, call);
        // Our own update moved the etag; what the next step changes must still be as it was observed.
        assertLabelsUnchanged(ref, changes, toObserved(live, ctx.project).attributes);
      }

      // Step 2: labels, replaced whole by setResourceLabels, guarded by the label fingerprint.
      const liveLabels = toLabelMap((live.resourceLabels ?? {}) as JsonValue);
      const labelChange = effectiveMapChange(liveLabels, grouped.maps.get('labels'));
      if (labelChange) {
        const fingerprint = live.labelFingerprint ?? '';
        try {
          const [op] = await ctx.gke.setLabels(
            { name, resourceLabels: applyMapChange(liveLabels, labelChange), labelFingerprint: fingerprint },
            { signal: call.signal } as object,
          );
          await waitForGkeOperation(ctx, location, op, ref, call);
        } catch (error) {
          cache.delete(name);
          if (isStaleVersion(error)) {
            const now = await read(name, ref, call.signal);
            if (now && alreadyApplied(toObserved(now, ctx.project).attributes, changes, normalizeGkeCluster))
              return result(now);
            throw conflict(ref, 'labels', fingerprint, now?.labelFingerprint, error);
          }
          throw toProviderError(error, 'SetLabels', ref.id);
        }
        live = await readNow(name, ref, call);
      }
      return result(live);
    },

    async delete(ref, call) {
      const name = nameOf(ref);
      const location = name.split('/')[3] as string;
      let op: protos.google.container.v1.IOperation;
      try {
        [op] = await ctx.gke.deleteCluster({ name }, { signal: call.signal } as object);
      } catch (error) {
        if (isNotFound(error)) return;
        throw toProviderError(error, 'DeleteCluster', ref.id);
      }
      await waitForGkeOperation(ctx, location, op, ref, call);
      await pollUntil(
        {
          provider: 'gcp',
          waitOutError: isPassingGcpError,
          what: `GKE cluster ${ref.name} deleted`,
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

function conflict(
  ref: ResourceRef,
  attribute: string | undefined,
  expected: unknown,
  actual: unknown,
  cause?: unknown,
): ConflictError {
  return new ConflictError(ref.id, attribute, expected, actual, {
    cause,
    reason: 'the cluster etag or label fingerprint moved',
  });
}

/** Between steps: a label key about to change must still hold the value observed when planned. */
function assertLabelsUnchanged(
  ref: ResourceRef,
  changes: readonly { attribute: string; from: JsonValue | undefined }[],
  live: Attributes,
): void {
  const labels = (live.labels ?? {}) as Record<string, JsonValue>;
  for (const change of changes) {
    if (!change.attribute.startsWith('labels.')) continue;
    const key = change.attribute.slice('labels.'.length);
    if (differs(labels[key], change.from))
      throw new ConflictError(ref.id, change.attribute, change.from, labels[key]);
  }
}

const lastSegment = (value: string | null | undefined): string => (value ?? '').split('/').pop() ?? '';

function toObserved(cluster: Cluster, project: string): Observed {
  const location = cluster.location ?? '';
  const name = `projects/${project}/locations/${location}/clusters/${cluster.name}`;
  const attributes: Attributes = {
    location,
    version: kubernetesMinor(cluster.currentMasterVersion ?? ''),
    autopilot: cluster.autopilot?.enabled === true,
    network: lastSegment(cluster.network),
    subnetwork: lastSegment(cluster.subnetwork),
    labels: observedLabels(cluster.resourceLabels as Record<string, string>),
  };
  const outputs: Record<string, JsonValue> = {};
  if (cluster.endpoint) outputs.endpoint = cluster.endpoint;
  if (cluster.masterAuth?.clusterCaCertificate)
    outputs.certificateAuthority = cluster.masterAuth.clusterCaCertificate;
  return { physicalId: name, attributes, ...(cluster.etag ? { version: cluster.etag } : {}), outputs };
}

/** Normalize a desired or observed value: Kubernetes minor versions, network names, sorted labels. */
export function normalizeGkeCluster(attribute: string, value: JsonValue): JsonValue {
  switch (attribute) {
    case 'version':
      return kubernetesMinor(value);
    case 'network':
    case 'subnetwork':
      return typeof value === 'string' ? lastSegment(value) : value;
    case 'labels':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? toLabelMap(value) : value;
    default:
      return value;
  }
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function clusterIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (
    'location' in attrs &&
    (typeof attrs.location !== 'string' || !/^[a-z]+-[a-z]+\d{1,2}(-[a-z])?$/.test(attrs.location))
  ) {
    issues.push({
      path: ['location'],
      message: 'must be a GCP region or zone',
      received: attrs.location,
      allowed: 'e.g. "europe-west1", "europe-west1-b"',
    });
  }
  if (
    'version' in attrs &&
    (typeof attrs.version !== 'string' || !/^\d+\.\d+(\.\d+(-gke\.\d+)?)?$/.test(attrs.version))
  ) {
    issues.push({
      path: ['version'],
      message: 'must be a GKE version',
      received: attrs.version,
      allowed: 'e.g. "1.31" or "1.31.5-gke.1023000"',
    });
  }
  if ('autopilot' in attrs && typeof attrs.autopilot !== 'boolean') {
    issues.push({ path: ['autopilot'], message: 'must be true or false', received: attrs.autopilot });
  }
  for (const a of ['network', 'subnetwork']) {
    if (a in attrs && (typeof attrs[a] !== 'string' || attrs[a] === '')) {
      issues.push({ path: [a], message: 'must be a name or self link', received: attrs[a] });
    }
  }
  if (creating) issues.push(...labelIssues(attrs.labels));
  return issues;
}
