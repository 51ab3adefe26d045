import type { Role } from '@neondatabase/api-client';
import {
  type CallContext,
  type JsonValue,
  type Observed,
  type ResourceRef,
  type ResourceType,
  ValidationError,
  type ValidationIssue,
} from '@patchbay/core';
import { assertPatchable } from './assert-patchable.js';
import { classifyNeonError } from './classify-neon-error.js';
import { neonCall, neonRead } from './neon-call.js';
import type { NeonContext } from './neon-context.js';
import { locateBranchChild } from './neon-locator.js';
import { joinId } from './physical-id.js';
import { waitForOperations } from './wait-for-operations.js';

const TYPE = 'neon.role';
const RESERVED = /^(pg_|neon_|cloud_admin$|neon_superuser$|public$|none$)/;

/**
 * `neon.role`: a Postgres role (`app`) on the environment's branch. Attributes `project`, `branch`
 * (immutable); Neon has no role update. Outputs `name` and, with a `rolePasswords` store, `passwordSecret`
 * (the store's reference). The password itself is handed to the store on create and never returned,
 * observed, or kept by Patchbay. Physical id `<project>/<branch>/<role>`.
 */
export function neonRole(ctx: NeonContext): ResourceType {
  const read = async (
    ref: ResourceRef,
    signal: AbortSignal,
  ): Promise<{ role: Role; projectId: string } | undefined> => {
    const at = await locateBranchChild(ctx, ref, signal, '<project>/<branch>/<role>');
    if (!at) return undefined;
    const role = (
      await neonRead('getProjectBranchRole', ref.id, () =>
        ctx.api.getProjectBranchRole(at.projectId, at.branchId, at.name, { signal }),
      )
    )?.role;
    return role ? { role, projectId: at.projectId } : undefined;
  };

  const toObserved = (role: Role, projectId: string): Observed => {
    const outputs: Record<string, JsonValue> = { name: role.name };
    if (ctx.rolePasswords) {
      outputs.passwordSecret = ctx.rolePasswords.reference({
        projectId,
        branchId: role.branch_id,
        role: role.name,
      });
    }
    return {
      physicalId: joinId(projectId, role.branch_id, role.name),
      attributes: { project: projectId, branch: role.branch_id },
      outputs,
    };
  };

  /** Hands a password Neon just returned to the store; without one it is dropped (reset it to get one). */
  const keep = async (projectId: string, role: Role, password: string | undefined, call: CallContext) => {
    if (!ctx.rolePasswords) {
      call.progress(`role ${role.name}: no rolePasswords store configured, the password was not kept`);
      return;
    }
    if (!password) return;
    const reference = ctx.rolePasswords.reference({ projectId, branchId: role.branch_id, role: role.name });
    await ctx.rolePasswords.put(reference, password, call.signal);
  };

  return {
    api: 'neon',
    precondition: 'read-before-write',
    immutable: ['project', 'branch'],
    // A role is found by name on its branch: ref.identity carries the project and branch ids.
    identity: ['project', 'branch'],

    async observe(ref, call) {
      const found = await read(ref, call.signal);
      return found ? toObserved(found.role, found.projectId) : undefined;
    },

    async create(input, call) {
      const { ref, attributes: attrs } = input;
      throwIfInvalid(ref, roleIssues(ref, attrs));
      const projectId = attrs.project as string;
      const branchId = attrs.branch as string;
      try {
        const created = await neonCall('createProjectBranchRole', ref.id, () =>
          ctx.api.createProjectBranchRole(
            projectId,
            branchId,
            { role: { name: ref.name } },
            { signal: call.signal },
          ),
        );
        await waitForOperations(ctx, created.operations, call, ref.id);
        await keep(projectId, created.role, created.role.password, call);
        return toObserved(created.role, projectId);
      } catch (error) {
        if (classifyNeonError(error) !== 'conflict') throw error;
        // It exists: copied from the parent branch (a branch starts with its parent's roles) or made by a
        // crashed earlier apply. A reset gives this branch its own password, known to the store.
        const reset = await neonCall('resetProjectBranchRolePassword', ref.id, () =>
          ctx.api.resetProjectBranchRolePassword(projectId, branchId, ref.name, { signal: call.signal }),
        );
        await waitForOperations(ctx, reset.operations, call, ref.id);
        await keep(projectId, reset.role, reset.role.password, call);
        return toObserved(reset.role, projectId);
      }
    },

    async patch(ref, changes) {
      // Neon has no role update (only a password reset); project and branch are immutable (a replace).
      assertPatchable(TYPE, ref.name, changes, []);
      return {};
    },

    async delete(ref, call) {
      const found = await read(ref, call.signal);
      if (!found) return;
      const { role, projectId } = found;
      const deleted = await neonRead('deleteProjectBranchRole', ref.id, () =>
        ctx.api.deleteProjectBranchRole(projectId, role.branch_id, role.name, { signal: call.signal }),
      );
      await waitForOperations(ctx, deleted?.operations, call, ref.id);
    },
  };
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function roleIssues(ref: ResourceRef, attrs: Record<string, JsonValue>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of ['project', 'branch']) {
    if (typeof attrs[key] !== 'string' || (attrs[key] as string).length === 0) {
      issues.push({ path: [key], message: `must be a Neon ${key} id`, received: attrs[key] });
    }
  }
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(ref.name) || RESERVED.test(ref.name)) {
    issues.push({
      path: ['name'],
      message: 'is not a role name Neon accepts',
      received: ref.name,
      allowed: 'up to 63 letters, digits, _ or -, not pg_* / neon_* / reserved names',
    });
  }
  return issues;
}
