/**
 * Stored Neon records: the wire shapes of the spec (snake_case, ISO timestamps) plus sandbox-only
 * bookkeeping under `_sandbox`, stripped when rendering. Passwords are never stored.
 */

/** A project. Id: the project id. */
export interface NeonProject {
  id: string;
  name: string;
  region_id: string;
  pg_version: number;
  history_retention_seconds: number;
  default_endpoint_settings?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

/** A branch. Id: `{project_id}/{branch_id}`. */
export interface NeonBranch {
  id: string;
  project_id: string;
  parent_id?: string;
  name: string;
  current_state: string;
  pending_state?: string;
  default: boolean;
  protected: boolean;
  created_at: string;
  updated_at: string;
  _sandbox: {
    /** Branch annotations (Neon's only key/value labels); the console's `tag` writes here. */
    annotations: Record<string, string>;
  };
  [field: string]: unknown;
}

/** A compute endpoint. Id: `{project_id}/{endpoint_id}`. */
export interface NeonEndpoint {
  id: string;
  project_id: string;
  branch_id: string;
  type: 'read_write' | 'read_only';
  autoscaling_limit_min_cu: number;
  autoscaling_limit_max_cu: number;
  suspend_timeout_seconds: number;
  current_state: 'init' | 'active' | 'idle';
  pending_state?: 'init' | 'active' | 'idle';
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

/** A database. Id: `{project_id}/{branch_id}/{name}`. */
export interface NeonDatabase {
  id: number;
  branch_id: string;
  name: string;
  owner_name: string;
  created_at: string;
  updated_at: string;
}

/** A role, never with its password. Id: `{project_id}/{branch_id}/{name}`. */
export interface NeonRole {
  branch_id: string;
  name: string;
  protected: boolean;
  authentication_method: string;
  created_at: string;
  updated_at: string;
}

export type NeonOperationAction =
  | 'create_timeline'
  | 'delete_timeline'
  | 'start_compute'
  | 'suspend_compute'
  | 'apply_config'
  | 'apply_storage_config';

/** An operation. Id: `{project_id}/{operation_id}`. */
export interface NeonOperation {
  id: string;
  project_id: string;
  branch_id?: string;
  endpoint_id?: string;
  action: NeonOperationAction;
  status: 'running' | 'finished';
  failures_count: number;
  created_at: string;
  updated_at: string;
  total_duration_ms: number;
  _sandbox: {
    /** Epoch ms when the operation finishes (see `settleOperations`). */
    settleAt: number;
  };
}
