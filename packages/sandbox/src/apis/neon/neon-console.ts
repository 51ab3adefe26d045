import { ProviderError } from '@patchbay/core';
import type { ApiConsole } from '../../core/sandbox-api.js';
import { deleteBranchTree, deleteProjectTree } from './neon-cascade.js';
import { NeonEnv } from './neon-env.js';
import type { NeonBranch } from './neon-records.js';

const KINDS = ['project', 'branch', 'endpoint', 'database', 'role', 'operation'] as const;

/**
 * Console hooks. Neon has no labels or tags on projects, endpoints, databases or roles; branches
 * carry annotations (string key/value pairs), so `tag` writes a branch annotation and refuses
 * every other kind. Deleting a project or branch removes what it contains, as Neon does.
 */
export const neonConsole: ApiConsole = {
  kinds: KINDS,
  tag(kind, record, key, value) {
    if (kind !== 'branch') {
      throw new ProviderError(
        'sandbox',
        'console.tag',
        'fatal',
        `Neon ${kind}s have no labels or tags; only branches carry annotations (key/value). ` +
          `Change the ${kind}'s own fields with console.edit instead.`,
      );
    }
    const branch = record.data as unknown as NeonBranch;
    branch._sandbox = { ...branch._sandbox, annotations: { ...branch._sandbox?.annotations, [key]: value } };
  },
  afterWrite(kind, id, ctx) {
    // An edit in Neon's console moves `updated_at`, which a provider may compare.
    if (kind === 'operation') return;
    const collection = ctx.collection<Record<string, unknown>>(kind);
    const record = collection.get(id);
    if (!record) return;
    const updatedAt = new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    collection.put(id, { ...record.data, updated_at: updatedAt });
  },
  delete(kind, id, ctx) {
    const env = new NeonEnv(ctx);
    if (kind === 'project') return deleteProjectTree(env, id);
    if (kind === 'branch') {
      const [projectId, branchId] = id.split('/') as [string, string];
      return deleteBranchTree(env, projectId, branchId);
    }
    return ctx.collection(kind).delete(id);
  },
};
