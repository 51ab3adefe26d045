import type { Branch, ProjectListItem } from '@neondatabase/api-client';
import type { ResourceRef } from '@patchbay/core';
import { neonCall, neonRead } from './neon-call.js';
import type { NeonContext } from './neon-context.js';
import { splitId } from './physical-id.js';

/** Annotation keys Patchbay sets on the branches it creates (Neon's only key/value labels). */
export const BRANCH_ANNOTATIONS = {
  environment: 'patchbay-environment',
  logicalId: 'patchbay-logical-id',
} as const;

const PAGE = 100;
/** A Neon branch id (`br-cool-bird-123456`), as opposed to a branch name. */
const BRANCH_ID = /^br-[a-z0-9-]+$/;

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

/** Where the engine says a resource lives (`ref.identity`): the ids it carries, each only when known. */
export interface NeonIdentity {
  project?: string;
  branch?: string;
}

/**
 * The `project` and `branch` of `ref.identity` (last-applied values for a resource in state, else the desired
 * ones): the real parents, so a lookup by name needs no guessing. A value known only after apply is absent.
 */
export function identityOf(ref: ResourceRef): NeonIdentity {
  const out: NeonIdentity = {};
  const project = ref.identity?.project;
  const branch = ref.identity?.branch;
  if (typeof project === 'string' && project.length > 0) out.project = project;
  if (typeof branch === 'string' && branch.length > 0) out.branch = branch;
  return out;
}

/**
 * The branch named `nameOrId` (or with that id, `br-…`) in one known project: 1 read. Names are unique per
 * project, so there is nothing to choose between.
 */
export async function findBranchIn(
  ctx: NeonContext,
  projectId: string,
  nameOrId: string,
  signal: AbortSignal,
): Promise<LocatedBranch | undefined> {
  if (BRANCH_ID.test(nameOrId)) {
    const found = await neonRead('getProjectBranch', undefined, () =>
      ctx.api.getProjectBranch(projectId, nameOrId, { signal }),
    );
    return found ? { branch: found.branch, annotations: { ...found.annotation?.value } } : undefined;
  }
  return (await listBranches(ctx, projectId, signal, nameOrId)).find((b) => b.branch.name === nameOrId);
}

/**
 * Projects that may hold an environment's resources, found without scanning the account: the projects named
 * after any of `names` (Patchbay names a new project, its branch and endpoint after the environment), plus
 * the project this provider instance last saw the environment's branch in, or last saw a resource named
 * `seenKey` in (a `branch-from-environment` branch lives in another environment's project). 1 read per name.
 */
export async function candidateProjects(
  ctx: NeonContext,
  names: readonly string[],
  environment: string,
  signal: AbortSignal,
  seenKey?: string,
): Promise<string[]> {
  const ids = new Set<string>();
  const known = ctx.projectsByEnvironment.get(environment);
  if (known) ids.add(known);
  const seen = seenKey ? ctx.projectsByResource.get(seenKey) : undefined;
  if (seen) ids.add(seen);
  for (const name of new Set(names)) {
    for (const project of await listProjects(ctx, signal, name))
      if (project.name === name) ids.add(project.id);
  }
  return [...ids];
}

/** Remembers which project holds an environment's branch, so later lookups of its children are cheap. */
export function rememberProject(ctx: NeonContext, environment: string, projectId: string): void {
  ctx.projectsByEnvironment.set(environment, projectId);
}

/** Remembers the project a named resource (`branch:preview-1`) was last seen in: one extra place to look. */
export function rememberResource(ctx: NeonContext, key: string, projectId: string): void {
  ctx.projectsByResource.set(key, projectId);
}

/**
 * Finds a branch by name, or by id (`br-…`, an imported branch), for a ref without a physical id. By name it
 * looks in the candidate projects (named after the branch or the environment, or seen before); an id is
 * looked up in every project the key can see (1 + projects reads, once: the id is then in state). Among
 * several branches of that name, the one annotated with `environment` wins.
 */
export async function findBranch(
  ctx: NeonContext,
  nameOrId: string,
  environment: string,
  signal: AbortSignal,
): Promise<LocatedBranch | undefined> {
  if (BRANCH_ID.test(nameOrId)) {
    for (const project of await listProjects(ctx, signal)) {
      const found = await neonRead('getProjectBranch', undefined, () =>
        ctx.api.getProjectBranch(project.id, nameOrId, { signal }),
      );
      if (found) return { branch: found.branch, annotations: { ...found.annotation?.value } };
    }
    return undefined;
  }
  const matches: LocatedBranch[] = [];
  for (const projectId of await candidateProjects(
    ctx,
    [nameOrId, environment],
    environment,
    signal,
    `branch:${nameOrId}`,
  )) {
    for (const found of await listBranches(ctx, projectId, signal, nameOrId)) {
      if (found.branch.name === nameOrId) matches.push(found);
    }
  }
  return matches.find((m) => m.annotations[BRANCH_ANNOTATIONS.environment] === environment) ?? matches[0];
}

/**
 * The branch Patchbay created for `environment` (annotated with it) in `projectId` when the caller knows the
 * project (its identity), else in the candidate projects (named after the environment or `name`, or seen
 * before). The fallback lookup of an endpoint, role or database whose branch is not known yet starts here.
 */
export async function findEnvironmentBranch(
  ctx: NeonContext,
  environment: string,
  name: string,
  signal: AbortSignal,
  projectId?: string,
): Promise<LocatedBranch | undefined> {
  const projects = projectId
    ? [projectId]
    : await candidateProjects(ctx, [environment, name], environment, signal);
  for (const id of projects) {
    const found = (await listBranches(ctx, id, signal)).find(
      (b) => b.annotations[BRANCH_ANNOTATIONS.environment] === environment,
    );
    if (found) return found;
  }
  return undefined;
}

/** The project and branch ids a resource on a branch (endpoint, role, database) lives in. */
export interface BranchLocation {
  projectId: string;
  branchId: string;
}

/**
 * Where an endpoint, role or database without physical id lives: its identity's `project` and `branch` when
 * the engine knows both (no read), else the environment's annotated branch (in the identity's project when
 * only that is known). The fallback serves values known only after apply and journal recoveries.
 */
export async function locateBranch(
  ctx: NeonContext,
  ref: ResourceRef,
  signal: AbortSignal,
): Promise<BranchLocation | undefined> {
  const { project, branch } = identityOf(ref);
  if (project && branch) return { projectId: project, branchId: branch };
  const located = await findEnvironmentBranch(ctx, ref.environment, ref.name, signal, project);
  return located ? { projectId: located.branch.project_id, branchId: located.branch.id } : undefined;
}

/**
 * Where a role or database is, and its name: from its physical id `<project>/<branch>/<name>` once known,
 * else on the branch `locateBranch` finds, under `ref.name`.
 */
export async function locateBranchChild(
  ctx: NeonContext,
  ref: ResourceRef,
  signal: AbortSignal,
  form: string,
): Promise<(BranchLocation & { name: string }) | undefined> {
  if (ref.physicalId) {
    const [projectId, branchId, name] = splitId(ref.physicalId, 3, form, ref.id) as [string, string, string];
    return { projectId, branchId, name };
  }
  const located = await locateBranch(ctx, ref, signal);
  return located ? { ...located, name: ref.name } : undefined;
}
