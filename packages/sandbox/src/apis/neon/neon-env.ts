import type { Collection } from '../../core/resource-store.js';
import type { ApiContext } from '../../core/sandbox-api.js';
import { neonError } from './neon-errors.js';
import type {
  NeonBranch,
  NeonDatabase,
  NeonEndpoint,
  NeonOperation,
  NeonProject,
  NeonRole,
} from './neon-records.js';

/** One Neon request's view of the store: typed collections, lookups that answer 404, the clock. */
export class NeonEnv {
  readonly projects: Collection<NeonProject>;
  readonly branches: Collection<NeonBranch>;
  readonly endpoints: Collection<NeonEndpoint>;
  readonly databases: Collection<NeonDatabase>;
  readonly roles: Collection<NeonRole>;
  readonly operations: Collection<NeonOperation>;

  constructor(
    readonly ctx: ApiContext,
    /** The API operation being served (`updateProjectEndpoint`), for operation delays. */
    readonly apiOperation = 'settle',
  ) {
    this.projects = ctx.collection<NeonProject>('project');
    this.branches = ctx.collection<NeonBranch>('branch');
    this.endpoints = ctx.collection<NeonEndpoint>('endpoint');
    this.databases = ctx.collection<NeonDatabase>('database');
    this.roles = ctx.collection<NeonRole>('role');
    this.operations = ctx.collection<NeonOperation>('operation');
  }

  /** ISO timestamp without milliseconds, as Neon renders them. */
  isoNow(): string {
    return new Date(this.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  project(projectId: string): NeonProject {
    const record = this.projects.get(projectId);
    if (!record) throw neonError.notFound(`project ${projectId}`);
    return record.data;
  }

  branch(projectId: string, branchId: string): NeonBranch {
    this.project(projectId);
    const record = this.branches.get(`${projectId}/${branchId}`);
    if (!record) throw neonError.notFound(`branch ${branchId}`);
    return record.data;
  }

  endpoint(projectId: string, endpointId: string): NeonEndpoint {
    this.project(projectId);
    const record = this.endpoints.get(`${projectId}/${endpointId}`);
    if (!record) throw neonError.notFound(`endpoint ${endpointId}`);
    return record.data;
  }

  database(projectId: string, branchId: string, name: string): NeonDatabase {
    this.branch(projectId, branchId);
    const record = this.databases.get(`${projectId}/${branchId}/${name}`);
    if (!record) throw neonError.notFound(`database ${name}`);
    return record.data;
  }

  role(projectId: string, branchId: string, name: string): NeonRole {
    this.branch(projectId, branchId);
    const record = this.roles.get(`${projectId}/${branchId}/${name}`);
    if (!record) throw neonError.notFound(`role ${name}`);
    return record.data;
  }

  /** Records of a collection whose id starts with `prefix` (`{project}/` or `{project}/{branch}/`). */
  under<T>(collection: Collection<T>, prefix: string): [string, T][] {
    return collection
      .entries()
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, record]) => [id, record.data]);
  }

  branchEndpoints(projectId: string, branchId: string): NeonEndpoint[] {
    return this.under(this.endpoints, `${projectId}/`)
      .map(([, endpoint]) => endpoint)
      .filter((endpoint) => endpoint.branch_id === branchId);
  }
}

/** A stored record without its `_sandbox` bookkeeping. */
export function wire<T extends object>(data: T): Omit<T, '_sandbox'> {
  const { _sandbox, ...rest } = data as T & { _sandbox?: unknown };
  return rest;
}
