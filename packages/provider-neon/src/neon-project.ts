import type { Project, ProjectCreateRequest } from '@neondatabase/api-client';
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
import { neonCall, neonRead } from './neon-call.js';
import type { NeonContext } from './neon-context.js';
import { listBranches, listProjects } from './neon-locator.js';
import { waitForOperations } from './wait-for-operations.js';

const TYPE = 'neon.project';
const PATCHABLE = ['historyRetentionSeconds'];
const PROJECT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * `neon.project`: a Neon project (`<env>`), found by name, or by id for projects Patchbay only observes.
 * Attributes: `region` (create-only), `pgVersion` (create-only, optional), `historyRetentionSeconds`.
 * Outputs: `id`, `defaultBranchId`. Stateful: deletion needs explicit confirmation.
 */
export function neonProject(ctx: NeonContext): ResourceType {
  const read = async (ref: ResourceRef, signal: AbortSignal): Promise<Project | undefined> => {
    if (ref.physicalId) {
      return (await neonRead('getProject', ref.id, () => ctx.api.getProject(ref.physicalId!, { signal })))
        ?.project;
    }
    const named = (await listProjects(ctx, signal, ref.name)).filter((p) => p.name === ref.name);
    if (named.length > 1) {
      throw new ProviderError(
        'neon',
        'observe',
        'fatal',
        `${named.length} projects are named "${ref.name}" (${named.map((p) => p.id).join(', ')}): rename all but one, or refer to the project by id`,
        { resource: ref.id },
      );
    }
    const id = named[0]?.id ?? (PROJECT_ID.test(ref.name) ? ref.name : undefined);
    if (!id) return undefined;
    return (await neonRead('getProject', ref.id, () => ctx.api.getProject(id, { signal })))?.project;
  };

  const toObserved = async (project: Project, signal: AbortSignal): Promise<Observed> => {
    const branches = await listBranches(ctx, project.id, signal);
    const main = branches.find((b) => b.branch.default)?.branch;
    const outputs: Record<string, JsonValue> = { id: project.id };
    if (main) outputs.defaultBranchId = main.id;
    return { physicalId: project.id, attributes: projectAttributes(project), outputs };
  };

  return {
    api: 'neon',
    precondition: 'read-before-write',
    stateful: true,
    immutable: ['region', 'pgVersion'],
    normalize: normalizeProject,

    async observe(ref, call) {
      const project = await read(ref, call.signal);
      return project ? toObserved(project, call.signal) : undefined;
    },

    async create(input, call) {
      const attrs = input.attributes;
      throwIfInvalid(input.ref, projectIssues(attrs, true));
      const body: ProjectCreateRequest = {
        project: {
          name: input.ref.name,
          ...(attrs.region !== undefined ? { region_id: attrs.region as string } : {}),
          ...(attrs.pgVersion !== undefined ? { pg_version: attrs.pgVersion as number } : {}),
          ...(attrs.historyRetentionSeconds !== undefined
            ? { history_retention_seconds: attrs.historyRetentionSeconds as number }
            : {}),
        },
      };
      // The response also holds the default role's password and connection URIs: only ids are kept.
      const created = await neonCall('createProject', input.ref.id, () =>
        ctx.api.createProject(body, { signal: call.signal }),
      );
      await waitForOperations(ctx, created.operations, call, input.ref.id);
      return {
        physicalId: created.project.id,
        attributes: projectAttributes(created.project),
        outputs: { id: created.project.id, defaultBranchId: created.branch.id },
      };
    },

    async patch(ref, changes, precondition, call) {
      assertPatchable(TYPE, ref.name, changes, PATCHABLE);
      throwIfInvalid(
        ref,
        projectIssues(Object.fromEntries(changes.map((c) => [c.attribute, c.to ?? null])), false),
      );
      const live = await read(ref, call.signal);
      if (!live) throw gone(ref, 'patch');
      const liveAttributes = projectAttributes(live);
      assertUnchanged(ref.id, liveAttributes, precondition, changes, normalizeProject);
      const todo = effectiveChanges(liveAttributes, changes, normalizeProject);
      if (todo.length > 0) {
        const updated = await neonCall('updateProject', ref.id, () =>
          ctx.api.updateProject(
            live.id,
            { project: { history_retention_seconds: todo[0]!.to as number } },
            { signal: call.signal },
          ),
        );
        await waitForOperations(ctx, updated.operations, call, ref.id);
        return { physicalId: live.id, attributes: projectAttributes(updated.project) };
      }
      return { physicalId: live.id, attributes: liveAttributes };
    },

    async delete(ref, call) {
      const live = await read(ref, call.signal);
      if (!live) return;
      // Deleting a project removes its branches, endpoints and data at once (Neon keeps it recoverable for a while).
      await neonRead('deleteProject', ref.id, () => ctx.api.deleteProject(live.id, { signal: call.signal }));
    },
  };
}

function projectAttributes(project: Project): Attributes {
  return {
    region: project.region_id,
    pgVersion: project.pg_version,
    historyRetentionSeconds: project.history_retention_seconds,
  };
}

export function normalizeProject(attribute: string, value: JsonValue): JsonValue {
  if ((attribute === 'pgVersion' || attribute === 'historyRetentionSeconds') && typeof value === 'string') {
    return /^\d+$/.test(value) ? Number(value) : value;
  }
  return value;
}

function gone(ref: ResourceRef, operation: string): ProviderError {
  return new ProviderError('neon', operation, 'not-found', `project ${ref.name} does not exist`, {
    resource: ref.id,
  });
}

function throwIfInvalid(ref: ResourceRef, issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(`${TYPE} ${ref.name}`, issues);
}

function projectIssues(attrs: Attributes, creating: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (
    attrs.region !== undefined &&
    (typeof attrs.region !== 'string' || !/^(aws|azure|gcp)-[a-z0-9-]+$/.test(attrs.region))
  ) {
    issues.push({
      path: ['region'],
      message: 'must be a Neon region id',
      received: attrs.region,
      allowed: 'e.g. "aws-us-east-2", "aws-eu-central-1", "azure-eastus2"',
    });
  }
  if (
    attrs.pgVersion !== undefined &&
    !(Number.isInteger(attrs.pgVersion) && (attrs.pgVersion as number) >= 14)
  ) {
    issues.push({
      path: ['pgVersion'],
      message: 'must be a Postgres major version',
      received: attrs.pgVersion,
      allowed: '14..18',
    });
  }
  const h = attrs.historyRetentionSeconds;
  if (
    (creating ? h !== undefined : 'historyRetentionSeconds' in attrs) &&
    !(Number.isInteger(h) && (h as number) >= 0 && (h as number) <= 2_592_000)
  ) {
    issues.push({
      path: ['historyRetentionSeconds'],
      message: 'must be whole seconds of history',
      received: h,
      allowed: '0..2592000 (30 days; the plan may allow less)',
    });
  }
  return issues;
}
