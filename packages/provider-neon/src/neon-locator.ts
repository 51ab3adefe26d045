import type { Branch, ProjectListItem } from '@neondatabase/api-client';
import { neonCall } from './neon-call.js';
import type { NeonContext } from './neon-context.js';

/** Annotation keys Patchbay sets on the branches it creates (Neon's only key/value labels). */
export const BRANCH_ANNOTATIONS = {
  environment: 'patchbay-environment',
  logicalId: 'patchbay-logical-id',
} as const;

const PAGE = 100;

/** Every project the API key can see (paged). */
export async function listProjects(
  ctx: NeonContext,
  signal: AbortSignal,
  search?: string,
): Promise<ProjectListItem[]> {
  const all: ProjectListItem[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await neonCall('listProjects', undefined, () =>
      ctx.api.listProjects(
        { limit: PAGE, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) },
        { signal },
      ),
    );
    all.push(...page.projects);
    const next = page.pagination?.cursor;
    if (page.projects.length < PAGE || !next || next === cursor) return all;
    cursor = next;
  }
}

/** A branch with the annotations Neon returns beside it. */
export interface LocatedBranch {
  branch: Branch;
  annotations: Record<string, string>;
}

/** The branches of one project whose name or id contains `search` (all of them without it). */
export async function listBranches(
  ctx: NeonContext,
  projectId: string,
  signal: AbortSignal,
  search?: string,
): Promise<LocatedBranch[]> {
  const out: LocatedBranch[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await neonCall('listProjectBranches', undefined, () =>
      ctx.api.listProjectBranches(
        { projectId, limit: PAGE, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) },
        { signal },
      ),
    );
    for (const branch of page.branches) {
      out.push({ branch, annotations: { ...page.annotations?.[branch.id]?.value } });
    }
    const next = page.pagination?.next;
    if (page.branches.length < PAGE || !next || next === cursor) return out;
    cursor = next;
  }
}

/**
 * Finds a branch by name (or id) across the projects the key can see: a ref without a physical id carries
 * no project. Costs 1 + (number of projects) reads; only creates, crash recovery and adoption need it.
 * Among several branches of that name, the one annotated with `environment` wins.
 */
export async function findBranch(
  ctx: NeonContext,
  nameOrId: string,
  environment: string,
  signal: AbortSignal,
): Promise<LocatedBranch | undefined> {
  const matches: LocatedBranch[] = [];
  for (const project of await listProjects(ctx, signal)) {
    for (const found of await listBranches(ctx, project.id, signal, nameOrId)) {
      if (found.branch.name === nameOrId || found.branch.id === nameOrId) matches.push(found);
    }
  }
  return matches.find((m) => m.annotations[BRANCH_ANNOTATIONS.environment] === environment) ?? matches[0];
}

/**
 * The branch Patchbay created for `environment` (annotated with it), across projects. The endpoint, role
 * and databases of an environment live on it, so their lookups by name start here.
 */
export async function findEnvironmentBranch(
  ctx: NeonContext,
  environment: string,
  signal: AbortSignal,
): Promise<LocatedBranch | undefined> {
  for (const project of await listProjects(ctx, signal)) {
    const found = (await listBranches(ctx, project.id, signal)).find(
      (b) => b.annotations[BRANCH_ANNOTATIONS.environment] === environment,
    );
    if (found) return found;
  }
  return undefined;
}
