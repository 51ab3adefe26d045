import type { AuditEntry, AuditRecord } from './audit-chain.js';
import type { ChangeRequest } from './change-request.js';

/**
 * Where the workflow keeps change requests and the audit history. Implementations: `MemoryWorkflowStore`
 * (tests), `FileWorkflowStore` (embedded default). A store for several portal replicas must make
 * `saveRequest` compare-and-set and `appendAudit` atomic across them (e.g. one database transaction).
 */
export interface WorkflowStore {
  getRequest(id: string): Promise<ChangeRequest | undefined>;
  /** Every request, oldest first; only one environment's when given. */
  listRequests(environment?: string): Promise<ChangeRequest[]>;
  /**
   * Save `request` (its `version` already bumped). Throws `StateError('revision-mismatch')` unless the
   * stored version is `expectedVersion` (0 for a new request).
   */
  saveRequest(request: ChangeRequest, expectedVersion: number): Promise<void>;
  /** Chain `record` after the environment's last entry (see `chainAuditEntry`) and append it, atomically. */
  appendAudit(environment: string, record: AuditRecord): Promise<AuditEntry>;
  /** The environment's history in append order. */
  readAudit(environment: string): Promise<AuditEntry[]>;
}
