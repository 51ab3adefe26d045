import type {
  Endpoint,
  EndpointCreateRequest,
  EndpointType,
  EndpointUpdateRequest,
} from '@neondatabase/api-client';
import {
  type AttributeChange,
  type Attributes,
  type JsonValue,
  type Observed,
  ProviderError,
  type ResourceRef,
  type ResourceType,
  ValidationError,
  type ValidationIssue,
} from '@patchbay/core';
import { assertPatchable } from './assert-patchable.js';
import { assertUnchanged, effectiveChanges } from './assert-unchanged.js';
import { classifyNeonError, toNeonProviderError } from './classify-neon-error.js';
import { neonCall, neonRead } from './neon-call.js';
import type { NeonContext } from './neon-context.js';
import { candidateProjects, identityOf, locateBranch, rememberResource } from './neon-locator.js';
import { joinId, splitId } from './physical-id.js';
import { waitForOperations } from './wait-for-operations.js';

const TYPE = 'neon.endpoint';
const PATCHABLE = ['minCu', 'maxCu', 'suspendTimeoutSeconds'];

/** Neon compute sizes: 0.25 steps below 1, whole units to 16, then even units to 56 (fixed size only). */
export const NEON_COMPUTE_UNITS: readonly number[] = [
  0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36,
  38, 40, 42, 44, 46, 48, 50, 52, 54, 56,
];

/** Neon's default `suspend_timeout_seconds`; the API takes 0 to mean it. */
export const DEFAULT_SUSPEND_TIMEOUT_SECONDS = 300;

/**
 * `neon.endpoint`: the branch's read-write compute, named `<env>`. Attributes `project` and `branch`
 * (immutable), `minCu`, `maxCu` (autoscaling limits, min ≤ max), `suspendTimeoutSeconds` (-1 never, 0 means
 * Neon's default 300 s and compares equal to 300). Physical id `<project>/<endpoint>`; outputs `host`, `id`.
 */
export function neonEndpoint(ctx: NeonContext): ResourceType {
  const read = async (ref: ResourceRef, signal: AbortSignal): Promise<Endpoint | undefined> => {
    if (ref.physicalId) {
      const [projectId, endpointId] = splitId(ref.physicalId, 2, '<project>/<endpoint>', ref.id);
      return (
        await neonRead('getProjectEndpoint', ref.id, () =>
          ctx.api.getProjectEndpoint(projectId!, endpointId!, { signal }),
        )
      )?.endpoint;
    }
    const { project } = identityOf(ref);
    const located = await locateBranch(ctx, ref, signal);
    if (located) return findOnBranch(ctx, located.projectId, located.branchId, ref, signal);
    // Not this environment's branch (another environment's endpoint, observed or adopted): by name, if unique.
    const named: Endpoint[] = [];
    const projects = project
      ? [project]
      : await candidateProjects(ctx, [ref.name, ref.environment], ref.environment, signal);
    for (const projectId of projects) {
      const listed = await neonRead('listProjectEndpoints', ref.id, () =>
        ctx.api.listProjectEndpoints(projectId, { signal }),
      );
      named.push(...(listed?.endpoints ?? []).filter((e) => e.name === ref.name));
    }
    return named.length === 1 ? named[0] : undefined;
  };

  return {
    api: 'neon',
    precondition: 'read-before-write',
    immutable: ['project', 'branch'],
    // An endpoint is found by name on its branch: ref.identity carries the project and branch ids.
    identity: ['project', 'branch'],
    normalize: normalizeEndpoint,

    async observe(ref, call) {
      const endpoint = await read(ref, call.signal);
      if (!endpoint) return undefined;
      rememberResource(ctx, `endpoint:${ref.name}`, endpoint.project_id);
      return toObserved(endpoint);
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, endpointIssues(attrs, true));
      const projectId = attrs.project as string;
      const branchId = attrs.branch as string;
      rememberResource(ctx, `endpoint:${ref.name}`, projectId);
      const body: EndpointCreateRequest = {
        endpoint: {
          branch_id: branchId,
          type: 'read_write' as EndpointType,
          name: ref.name,
          ...(attrs.minCu !== undefined ? { autoscaling_limit_min_cu: attrs.minCu as number } : {}),
          ...(attrs.maxCu !== undefined ? { autoscaling_limit_max_cu: attrs.maxCu as number } : {}),
          ...(attrs.suspendTimeoutSeconds !== undefined
            ? { suspend_timeout_seconds: attrs.suspendTimeoutSeconds as number }
            : {}),
        },
      };
      try {
        const created = await neonCall('createProjectEndpoint', ref.id, () =>
          ctx.api.createProjectEndpoint(projectId, body, { signal: call.signal }),
        );
        await waitForOperations(ctx, created.operations, call, ref.id);
        return toObserved(created.endpoint);
      } catch (error) {
        if (classifyNeonError(error) !== 'conflict') throw error;
        // One read-write endpoint per branch: a crashed earlier apply may have made ours (same name).
        const existing = await findOnBranch(ctx, projectId, branchId, ref, call.signal);
        if (!existing) throw toNeonProviderError(error, 'createProjectEndpoint', ref.id);
        return toObserved(existing);
      }
    },

    async patch(ref, changes, precondition, call) {
      assertPatchable(TYPE, ref.name, changes, PATCHABLE);
      throwIfInvalid(
        ref,
        endpointIssues(Object.fromEntries(changes.map((c) => [c.attribute, c.to ?? null])), false),
      );
      const endpoint = await read(ref, call.signal);
      if (!endpoint) throw gone(ref);
      const live = toObserved(endpoint);
      assertUnchanged(ref.id, live.attributes, precondition, changes, normalizeEndpoint);
      const todo = effectiveChanges(live.attributes, changes, normalizeEndpoint);
      throwIfInvalid(ref, rangeIssues(live.attributes, todo));
      if (todo.length === 0) return live;
      const update: EndpointUpdateRequest['endpoint'] = {};
      for (const change of todo) {
        const to = change.to as number;
        if (change.attribute === 'minCu') update.autoscaling_limit_min_cu = to;
        if (change.attribute === 'maxCu') update.autoscaling_limit_max_cu = to;
        if (change.attribute === 'suspendTimeoutSeconds') update.suspend_timeout_seconds = to;
      }
      const updated = await neonCall('updateProjectEndpoint', ref.id, () =>
        ctx.api.updateProjectEndpoint(
          endpoint.project_id,
          endpoint.id,
          { endpoint: update },
          { signal: call.signal },
        ),
      );
      await waitForOperations(ctx, updated.operations, call, ref.id);
      return toObserved(updated.endpoint);
    },

    async delete(ref, call) {
      const endpoint = await read(ref, call.signal);
      if (!endpoint) return;
      const deleted = await neonRead('deleteProjectEndpoint', ref.id, () =>
        ctx.api.deleteProjectEndpoint(endpoint.project_id, endpoint.id, { signal: call.signal }),
      );
      await waitForOperations(ctx, deleted?.operations, call, ref.id);
    },
  };
}

/** The branch's endpoint named `ref.name` (Patchbay names the endpoints it creates). */
async function findOnBranch(
  ctx: NeonContext,
  projectId: string,
  branchId: string,
  ref: ResourceRef,
  signal: AbortSignal,
): Promise<Endpoint | undefined> {
  const listed = await neonRead('listProjectBranchEndpoints', ref.id, () =>
    ctx.api.listProjectBranchEndpoints(projectId, branchId, { signal }),
  );
  const endpoints = listed?.endpoints ?? [];
  // Neon allows one read-write endpoint per branch, so an imported branch's own (often unnamed, made in the
  // console) is the one this resource would collide with: that endpoint is ours to adopt, not to create.
  const readWrite = endpoints.filter((e) => e.type === 'read_write');
  return endpoints.find((e) => e.name === ref.name) ?? (readWrite.length === 1 ? readWrite[0] : undefined);
}

function toObserved(endpoint: Endpoint): Observed {
  return {
    physicalId: joinId(endpoint.project_id, endpoint.id),
    attributes: {
      project: endpoint.project_id,
      branch: endpoint.branch_id,
      minCu: endpoint.autoscaling_limit_min_cu,
      maxCu: endpoint.autoscaling_limit_max_cu,
      suspendTimeoutSeconds: normalizeSuspend(endpoint.suspend_timeout_seconds),
    },
    outputs: { host: endpoint.host, id: endpoint.id },
  };
}

function normalizeSuspend(value: number): number {
  return value === 0 ? DEFAULT_SUSPEND_TIMEOUT_SECONDS : value;
}

export function normalizeEndpoint(attribute: string, value: JsonValue): JsonValue {
  const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (attribute === 'suspendTimeoutSeconds' && typeof n === 'number') return normalizeSuspend(n);
  if (attribute === 'minCu' || attribute === 'maxCu') return n;
  return value;
}

function gone(ref: ResourceRef): ProviderError {
  return new ProviderError('neon', 'patch', 'not-found', `endpoint ${ref.name} does not exist`, {
    resource: ref.id,
  });
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function endpointIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (creating) {
    for (const ref of ['project', 'branch']) {
      if (typeof attrs[ref] !== 'string' || (attrs[ref] as string).length === 0) {
        issues.push({ path: [ref], message: `must be a Neon ${ref} id`, received: attrs[ref] });
      }
    }
  }
  for (const cu of ['minCu', 'maxCu']) {
    if (cu in attrs && !NEON_COMPUTE_UNITS.includes(attrs[cu] as number)) {
      issues.push({
        path: [cu],
        message: 'is not a Neon compute size',
        received: attrs[cu],
        allowed: NEON_COMPUTE_UNITS,
      });
    }
  }
  const s = attrs.suspendTimeoutSeconds;
  if (
    'suspendTimeoutSeconds' in attrs &&
    !(
      Number.isInteger(s) &&
      ((s as number) === -1 || (s as number) === 0 || ((s as number) >= 60 && (s as number) <= 604_800))
    )
  ) {
    issues.push({
      path: ['suspendTimeoutSeconds'],
      message: 'must be -1 (never), 0 (Neon default, 300 s) or 60..604800 seconds',
      received: s,
      allowed: '-1, 0, 60..604800',
    });
  }
  if (creating && issues.length === 0) issues.push(...rangeIssues({}, [], attrs));
  return issues;
}

/** min ≤ max, taking the side not being changed from the live endpoint. */
function rangeIssues(
  live: Attributes,
  changes: readonly AttributeChange[],
  desired?: Attributes,
): ValidationIssue[] {
  const next = { ...live, ...desired };
  for (const c of changes) next[c.attribute] = c.to ?? null;
  const min = next.minCu;
  const max = next.maxCu;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    return [
      { path: ['minCu'], message: `must not exceed maxCu (${max})`, received: min, allowed: `≤ ${max}` },
    ];
  }
  return [];
}
