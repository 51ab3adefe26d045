import type { Database } from '@neondatabase/api-client';
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
import { locateBranchChild } from './neon-locator.js';
import { joinId } from './physical-id.js';
import { waitForOperations } from './wait-for-operations.js';

const TYPE = 'neon.database';
const PATCHABLE = ['owner'];
const same = (_attribute: string, value: JsonValue): JsonValue => value;

/**
 * `neon.database`: one app database on the environment's branch. Attributes `project`, `branch`
 * (immutable) and `owner` (a role of the branch; patchable). Output `name`. Stateful: it holds data.
 * Physical id `<project>/<branch>/<database>`.
 */
export function neonDatabase(ctx: NeonContext): ResourceType {
  const read = async (
    ref: ResourceRef,
    signal: AbortSignal,
  ): Promise<{ database: Database; projectId: string } | undefined> => {
    const at = await locateBranchChild(ctx, ref, signal, '<project>/<branch>/<database>');
    if (!at) return undefined;
    const database = (
      await neonRead('getProjectBranchDatabase', ref.id, () =>
        ctx.api.getProjectBranchDatabase(at.projectId, at.branchId, at.name, { signal }),
      )
    )?.database;
    return database ? { database, projectId: at.projectId } : undefined;
  };

  const setOwner = async (
    projectId: string,
    database: Database,
    owner: string,
    ref: ResourceRef,
    signal: AbortSignal,
  ) => {
    const updated = await neonCall('updateProjectBranchDatabase', ref.id, () =>
      ctx.api.updateProjectBranchDatabase(
        projectId,
        database.branch_id,
        database.name,
        { database: { owner_name: owner } },
        { signal },
      ),
    );
    return updated;
  };

  return {
    api: 'neon',
    precondition: 'read-before-write',
    stateful: true,
    immutable: ['project', 'branch'],
    // A database is found by name on its branch: ref.identity carries the project and branch ids.
    identity: ['project', 'branch'],

    async observe(ref, call) {
      const found = await read(ref, call.signal);
      return found ? toObserved(found.database, found.projectId) : undefined;
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, databaseIssues(attrs, true));
      const projectId = attrs.project as string;
      const branchId = attrs.branch as string;
      const owner = attrs.owner as string;
      try {
        const created = await neonCall('createProjectBranchDatabase', ref.id, () =>
          ctx.api.createProjectBranchDatabase(
            projectId,
            branchId,
            { database: { name: ref.name, owner_name: owner } },
            { signal: call.signal },
          ),
        );
        await waitForOperations(ctx, created.operations, call, ref.id);
        return toObserved(created.database, projectId);
      } catch (error) {
        if (classifyNeonError(error) !== 'conflict') throw error;
        // It exists: copied from the parent branch (a branch starts with its parent's data) or made by a
        // crashed earlier apply. The data is this environment's copy: keep it, set the owner if it differs.
        const existing = (
          await neonRead('getProjectBranchDatabase', ref.id, () =>
            ctx.api.getProjectBranchDatabase(projectId, branchId, ref.name, { signal: call.signal }),
          )
        )?.database;
        if (!existing) throw toNeonProviderError(error, 'createProjectBranchDatabase', ref.id);
        if (existing.owner_name === owner) return toObserved(existing, projectId);
        const updated = await setOwner(projectId, existing, owner, ref, call.signal);
        await waitForOperations(ctx, updated.operations, call, ref.id);
        return toObserved(updated.database, projectId);
      }
    },

    async patch(ref, changes, precondition, call) {
      assertPatchable(TYPE, ref.name, changes, PATCHABLE);
      throwIfInvalid(
        ref,
        databaseIssues(Object.fromEntries(changes.map((c) => [c.attribute, c.to ?? null])), false),
      );
      const found = await read(ref, call.signal);
      if (!found) {
        throw new ProviderError('neon', 'patch', 'not-found', `database ${ref.name} does not exist`, {
          resource: ref.id,
        });
      }
      const live = toObserved(found.database, found.projectId);
      assertUnchanged(ref.id, live.attributes, precondition, changes, same);
      const todo = effectiveChanges(live.attributes, changes, same);
      if (todo.length === 0) return live;
      const updated = await setOwner(
        found.projectId,
        found.database,
        todo[0]!.to as string,
        ref,
        call.signal,
      );
      await waitForOperations(ctx, updated.operations, call, ref.id);
      return toObserved(updated.database, found.projectId);
    },

    async delete(ref, call) {
      const found = await read(ref, call.signal);
      if (!found) return;
      const { database, projectId } = found;
      const deleted = await neonRead('deleteProjectBranchDatabase', ref.id, () =>
        ctx.api.deleteProjectBranchDatabase(projectId, database.branch_id, database.name, {
          signal: call.signal,
        }),
      );
      await waitForOperations(ctx, deleted?.operations, call, ref.id);
    },
  };
}

function toObserved(database: Database, projectId: string): Observed {
  return {
    physicalId: joinId(projectId, database.branch_id, database.name),
    attributes: { project: projectId, branch: database.branch_id, owner: database.owner_name },
    outputs: { name: database.name },
  };
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function databaseIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const keys = creating ? ['project', 'branch', 'owner'] : ['owner'];
  for (const key of keys) {
    if (
      (creating || key in attrs) &&
      (typeof attrs[key] !== 'string' || (attrs[key] as string).length === 0)
    ) {
      issues.push({
        path: [key],
        message: key === 'owner' ? 'must be a role name of the branch' : `must be a Neon ${key} id`,
        received: attrs[key],
      });
    }
  }
  return issues;
}
