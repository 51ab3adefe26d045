/** Sandbox-only bookkeeping of a Cloud Run service, never sent on the wire. */
export interface RunServiceInternal {
  /** Spec generation: bumped by every update (the wire `generation`, an int64 string). */
  specGeneration: number;
  /** Revision names, oldest first. */
  revisions: string[];
  /** Canonical JSON of the template (without `revision`) the latest revision was made from. */
  templateKey: string;
  /** Epoch ms when reconciling ends (new revision ready, or the service is gone after a delete). */
  settleAt?: number;
  deleting?: boolean;
}

/** A stored Cloud Run v2 service: the wire `Service` shape plus `_sandbox`. Id: `projects/p/locations/l/services/s`. */
export interface RunService {
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  createTime: string;
  updateTime: string;
  deleteTime?: string;
  template: Record<string, unknown> & { revision?: string };
  traffic: Record<string, unknown>[];
  reconciling: boolean;
  latestCreatedRevision: string;
  latestReadyRevision?: string;
  _sandbox: RunServiceInternal;
  [field: string]: unknown;
}
