import type { App, Environment } from '../model/index.js';
import { outputRef, type ResourceSpec } from './resource-spec.js';

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
    specs.push({
      id: branch,
      type: 'neon.branch',
      name: env.name,
      attributes: {
        project: outputRef(project, 'id'),
        parent:
          source.mode === 'branch-from-project' && source.parentBranch
            ? source.parentBranch
            : outputRef(project, 'defaultBranchId'),
      },
      policy: { createOnly: ['project', 'parent'], deletion: 'retain' },
    });
  }
  specs.push({
    id: 'db/neon/endpoint',
    type: 'neon.endpoint',
    name: env.name,
    attributes: {
      project: outputRef(project, 'id'),
      branch: outputRef(branch, 'id'),
      minCu: db.endpoint.minCu,
      maxCu: db.endpoint.maxCu,
      suspendTimeoutSeconds: db.endpoint.suspendTimeoutSeconds,
    },
    policy: { createOnly: ['project', 'branch'] },
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
