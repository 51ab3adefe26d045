/** A stored Cloud SQL instance: the wire `DatabaseInstance` shape plus `_sandbox`. Id: `{project}/{instance}`. */
export interface SqlInstance {
  kind: 'sql#instance';
  name: string;
  project: string;
  databaseVersion: string;
  region: string;
  state: string;
  settings: SqlSettings;
  _sandbox: {
    /** Id (`{project}/{operation}`) of the admin operation running on the instance, if any. */
    operation?: string;
  };
  [field: string]: unknown;
}

export interface SqlSettings {
  /** int64 as a string; bumped by every applied settings change (and console edits). */
  settingsVersion: string;
  tier: string;
  userLabels: Record<string, string>;
  availabilityType: string;
  dataDiskSizeGb: string;
  [field: string]: unknown;
}

/** A stored Cloud SQL operation (`sql#operation`). Id: `{project}/{name}`. */
export interface SqlOperation {
  kind: 'sql#operation';
  name: string;
  operationType: 'CREATE' | 'UPDATE' | 'DELETE';
  status: 'PENDING' | 'RUNNING' | 'DONE';
  targetId: string;
  targetProject: string;
  targetLink: string;
  selfLink: string;
  user: string;
  insertTime: string;
  startTime?: string;
  endTime?: string;
  error?: {
    kind: 'sql#operationErrors';
    errors: { kind: 'sql#operationError'; code: string; message: string }[];
  };
  _sandbox: {
    instanceId: string;
    startAt: number;
    doneAt: number;
    /** Settings merge patch (and other fields) a patch applies when it finishes. */
    patch?: Record<string, unknown>;
  };
  [field: string]: unknown;
}
