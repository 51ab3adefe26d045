import type { Branch, BranchCreateRequest } from '@neondatabase/api-client';
import {
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
import {
  BRANCH_ANNOTATIONS,
  findBranch,
  findBranchIn,
  identityOf,
  type LocatedBranch,
  listBranches,
  rememberProject,
  rememberResource,
} from './neon-locator.js';
import { joinId, splitId } from './physical-id.js';
import { waitForOperations } from './wait-for-operations.js';

const TYPE = 'neon.branch';
const PATCHABLE = ['expiresAt', 'protected'];

/**
 * `neon.branch`: the environment's branch, created from a parent (the project's default branch, another
 * environment's branch, or a named one). `project` and `parent` are immutable. Optional `expiresAt`
 * (ISO time; preview branches) and `protected` can be patched. Physical id `<project>/<branch>`; output `id`.
 * Created branches carry the annotations `patchbay-environment` and `patchbay-logical-id`.
 */
export function neonBranch(ctx: NeonContext): ResourceType {
  const read = async (ref: ResourceRef, signal: AbortSignal): Promise<LocatedBranch | undefined> => {
    if (!ref.physicalId) {
      const { project } = identityOf(ref);
      return project
        ? findBranchIn(ctx, project, ref.name, signal)
        : findBranch(ctx, ref.name, ref.environment, signal);
    }
    const [projectId, branchId] = splitId(ref.physicalId, 2, '<project>/<branch>', ref.id);
    const got = await neonRead('getProjectBranch', ref.id, () =>
      ctx.api.getProjectBranch(projectId!, branchId!, { signal }),
    );
    return got ? { branch: got.branch, annotations: { ...got.annotation?.value } } : undefined;
  };

  return {
    api: 'neon',
    precondition: 'read-before-write',
    // A branch holds data (its copy-on-write timeline).
    stateful: true,
    immutable: ['project', 'parent'],
    // A branch is found by name (or id) in its project: ref.identity carries the project id.
    identity: ['project'],
    normalize: normalizeBranch,

    async observe(ref, call) {
      const found = await read(ref, call.signal);
      if (!found) return undefined;
      rememberResource(ctx, `branch:${found.branch.name}`, found.branch.project_id);
      if (found.annotations[BRANCH_ANNOTATIONS.environment] === ref.environment) {
        rememberProject(ctx, ref.environment, found.branch.project_id);
      }
      return toObserved(found.branch);
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, branchIssues(attrs, true));
      const projectId = attrs.project as string;
      rememberProject(ctx, ref.environment, projectId);
      rememberResource(ctx, `branch:${ref.name}`, projectId);
      const parentId = await resolveParent(
        ctx,
        projectId,
        attrs.parent as string | undefined,
        ref,
        call.signal,
      );
      const body: BranchCreateRequest & { annotation_value: Record<string, string> } = {
        branch: {
          name: ref.name,
          ...(parentId !== undefined ? { parent_id: parentId } : {}),
          ...(attrs.expiresAt !== undefined && attrs.expiresAt !== null
            ? { expires_at: attrs.expiresAt as string }
            : {}),
          ...(attrs.protected !== undefined ? { protected: attrs.protected as boolean } : {}),
        },
        annotation_value: {
          [BRANCH_ANNOTATIONS.environment]: ref.environment,
          [BRANCH_ANNOTATIONS.logicalId]: ref.id,
        },
      };
      try {
        const created = await neonCall('createProjectBranch', ref.id, () =>
          ctx.api.createProjectBranch(projectId, body, { signal: call.signal }),
        );
        await waitForOperations(ctx, created.operations, call, ref.id);
        return toObserved(created.branch);
      } catch (error) {
        if (classifyNeonError(error) !== 'conflict') throw error;
        // Names are unique per project: a crashed earlier apply may have made it. Take it only if it says so.
        const existing = (await listBranches(ctx, projectId, call.signal, ref.name)).find(
          (b) => b.branch.name === ref.name,
        );
        if (
          existing?.annotations[BRANCH_ANNOTATIONS.environment] !== ref.environment ||
          existing.annotations[BRANCH_ANNOTATIONS.logicalId] !== ref.id
        ) {
          throw toNeonProviderError(error, 'createProjectBranch', ref.id);
        }
        return toObserved(existing.branch);
      }
    },

    async patch(ref, changes, precondition, call) {
      assertPatchable(TYPE, ref.name, changes, PATCHABLE);
      throwIfInvalid(
        ref,
        branchIssues(Object.fromEntries(changes.map((c) => [c.attribute, c.to ?? null])), false),
      );
      const found = await read(ref, call.signal);
      if (!found) throw gone(ref);
      const live = toObserved(found.branch);
      assertUnchanged(ref.id, live.attributes, precondition, changes, normalizeBranch);
      const todo = effectiveChanges(live.attributes, changes, normalizeBranch);
      if (todo.length === 0) return live;
      const update: { expires_at?: string | null; protected?: boolean } = {};
      for (const change of todo) {
        if (change.attribute === 'expiresAt') update.expires_at = (change.to as string | undefined) ?? null;
        if (change.attribute === 'protected') update.protected = (change.to as boolean | undefined) ?? false;
      }
      const { branch } = found;
      const updated = await neonCall('updateProjectBranch', ref.id, () =>
        ctx.api.updateProjectBranch(
          branch.project_id,
          branch.id,
          { branch: update },
          { signal: call.signal },
        ),
      );
      await waitForOperations(ctx, updated.operations, call, ref.id);
      return toObserved(updated.branch);
    },

    async delete(ref, call) {
      const found = await read(ref, call.signal);
      if (!found) return;
      const { branch } = found;
      const deleted = await neonRead('deleteProjectBranch', ref.id, () =>
        ctx.api.deleteProjectBranch(
          { projectId: branch.project_id, branchId: branch.id },
          { signal: call.signal },
        ),
      );
      await waitForOperations(ctx, deleted?.operations, call, ref.id);
    },
  };
}

/** A parent given by name (`parentBranch: 'main'`) is resolved to its id: Neon's `parent_id` takes ids only. */
async function resolveParent(
  ctx: NeonContext,
  projectId: string,
  parent: string | undefined,
  ref: ResourceRef,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (parent === undefined || parent.startsWith('br-')) return parent;
  const found = (await listBranches(ctx, projectId, signal, parent)).find((b) => b.branch.name === parent);
  if (!found) {
    throw new ValidationError(`${TYPE} ${ref.name}`, [
      { path: ['parent'], message: `project ${projectId} has no branch named "${parent}"`, received: parent },
    ]);
  }
  return found.branch.id;
}

function toObserved(branch: Branch): Observed {
  const attributes: Attributes = { project: branch.project_id, protected: branch.protected };
  if (branch.parent_id) attributes.parent = branch.parent_id;
  if (branch.expires_at) attributes.expiresAt = normalizeTime(branch.expires_at);
  return { physicalId: joinId(branch.project_id, branch.id), attributes, outputs: { id: branch.id } };
}

/** Times compare as instants: `2030-01-01T00:00:00Z` and `…00.000Z` are the same expiry. */
function normalizeTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

export function normalizeBranch(attribute: string, value: JsonValue): JsonValue {
  return attribute === 'expiresAt' && typeof value === 'string' ? normalizeTime(value) : value;
}

function gone(ref: ResourceRef): ProviderError {
  return new ProviderError('neon', 'patch', 'not-found', `branch ${ref.name} does not exist`, {
    resource: ref.id,
  });
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function branchIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (creating && (typeof attrs.project !== 'string' || attrs.project.length === 0)) {
    issues.push({ path: ['project'], message: 'must be a Neon project id', received: attrs.project });
  }
  if (attrs.parent !== undefined && (typeof attrs.parent !== 'string' || attrs.parent.length === 0)) {
    issues.push({
      path: ['parent'],
      message: 'must be a Neon branch id or name',
      received: attrs.parent,
      allowed: 'e.g. "br-cool-bird-123456" or "main"',
    });
  }
  const e = attrs.expiresAt;
  if (e !== undefined && e !== null && (typeof e !== 'string' || Number.isNaN(Date.parse(e)))) {
    issues.push({
      path: ['expiresAt'],
      message: 'must be an ISO 8601 time',
      received: e,
      allowed: 'e.g. "2030-01-01T00:00:00Z"',
    });
  }
  if (attrs.protected !== undefined && attrs.protected !== null && typeof attrs.protected !== 'boolean') {
    issues.push({ path: ['protected'], message: 'must be true or false', received: attrs.protected });
  }
  return issues;
}
