import type { App, Environment, NeonSource } from '../model/index.js';
import { type DesiredValue, outputRef, type ResourceSpec } from './resource-spec.js';

/** Role that owns the app's databases on Neon. */
export const NEON_ROLE = 'app';

/**
 * Neon: a project (new, another environment's, or an existing one observed by id), a branch for this
 * environment, its endpoint (compute), the owner role, and one database per app database.
 */
export function neonResources(env: Environment, app: App): ResourceSpec[] {
  const db = env.database;
  if (db?.kind !== 'neon') return [];
  const specs: ResourceSpec[] = [];
  const source = db.source;
  const project = 'db/neon/project';
  const branch = 'db/neon/branch';
  if (source.mode === 'new-project') {
    specs.push({
      id: project,
      type: 'neon.project',
      name: env.name,
      attributes: {
        ...(source.region ? { region: source.region } : {}),
        historyRetentionSeconds: db.historyRetentionSeconds,
      },
      policy: { createOnly: ['region'], deletion: 'retain' },
    });
  } else if (source.mode === 'branch-from-environment') {
    // The other environment's project, found by its deterministic name; never written from here.
    specs.push({
      id: project,
      type: 'neon.project',
      name: source.environment,
      attributes: {},
      policy: { mode: 'observe-only' },
    });
  } else {
    // An existing project, found by id.
    specs.push({
      id: project,
      type: 'neon.project',
      name: source.projectId,
      attributes: {},
      policy: { mode: 'observe-only' },
    });
  }
  if (source.mode === 'import-branch') {
    specs.push({
      id: branch,
      type: 'neon.branch',
      name: source.branchId,
      attributes: { project: outputRef(project, 'id') },
      policy: { mode: 'adopt', deletion: 'retain' },
    });
  } else {
    specs.push(...parentLookup(source));
    specs.push({
      id: branch,
      type: 'neon.branch',
      name: env.name,
      attributes: { project: outputRef(project, 'id'), parent: parentOf(source, project) },
      policy: { createOnly: ['project', 'parent'], deletion: 'retain' },
    });
  }
  const imported = source.mode === 'import-branch';
  specs.push({
    id: 'db/neon/endpoint',
    type: 'neon.endpoint',
    name: env.name,
    attributes: {
      // An imported branch's ids are known up front, so its existing endpoint can be found at the first plan.
      project: imported ? source.projectId : outputRef(project, 'id'),
      branch: imported ? source.branchId : outputRef(branch, 'id'),
      minCu: db.endpoint.minCu,
      maxCu: db.endpoint.maxCu,
      suspendTimeoutSeconds: db.endpoint.suspendTimeoutSeconds,
    },
    // Neon allows one read-write endpoint per branch: an imported branch usually has it already, so it is
    // taken over (and, like the branch, left in place when the environment lets go of it).
    ...(imported ? { dependsOn: [project, branch] } : {}),
    policy: imported
      ? { mode: 'adopt', deletion: 'retain', createOnly: ['project', 'branch'] }
      : { createOnly: ['project', 'branch'] },
  });
  specs.push({
    id: 'db/neon/role',
    type: 'neon.role',
    name: NEON_ROLE,
    attributes: { project: outputRef(project, 'id'), branch: outputRef(branch, 'id') },
    policy: { createOnly: ['project', 'branch'] },
  });
  for (const database of app.databases) {
    specs.push({
      id: `db/${database.name}`,
      type: 'neon.database',
      name: database.name,
      attributes: {
        project: outputRef(project, 'id'),
        branch: outputRef(branch, 'id'),
        owner: outputRef('db/neon/role', 'name'),
      },
      policy: { createOnly: ['project', 'branch'], deletion: 'retain' },
    });
  }
  return specs;
}

const PARENT_LOOKUP = 'db/neon/parent';
/** A Neon branch id, as opposed to a branch name. */
const BRANCH_ID = /^br-[a-z0-9-]+$/;

/**
 * A parent branch given by name is looked up (observe-only) so that `parent` is desired, applied and observed
 * as the same branch id: Neon creates from and reports ids only.
 */
function parentLookup(source: NeonSource): ResourceSpec[] {
  if (source.mode !== 'branch-from-project' || !source.parentBranch || BRANCH_ID.test(source.parentBranch))
    return [];
  return [
    {
      id: PARENT_LOOKUP,
      type: 'neon.branch',
      name: source.parentBranch,
      attributes: { project: source.projectId },
      policy: { mode: 'observe-only' },
    },
  ];
}

function parentOf(source: NeonSource, project: string): DesiredValue {
  if (source.mode !== 'branch-from-project' || !source.parentBranch)
    return outputRef(project, 'defaultBranchId');
  return BRANCH_ID.test(source.parentBranch) ? source.parentBranch : outputRef(PARENT_LOOKUP, 'id');
}
