import { StateError } from '../errors/state-error.js';
import { type AuditEntry, type AuditRecord, chainAuditEntry } from './audit-chain.js';
import type { ChangeRequest } from './change-request.js';
import type { WorkflowStore } from './workflow-store.js';

/** A workflow store in process memory, for tests and short-lived programs. Values are copied in and out. */
export class MemoryWorkflowStore implements WorkflowStore {
  private readonly requests = new Map<string, ChangeRequest>();
  private readonly audit = new Map<string, AuditEntry[]>();

  async getRequest(id: string): Promise<ChangeRequest | undefined> {
    const request = this.requests.get(id);
    return request && structuredClone(request);
  }

  async listRequests(environment?: string): Promise<ChangeRequest[]> {
    return [...this.requests.values()]
      .filter((r) => environment === undefined || r.environment === environment)
      .map((r) => structuredClone(r));
  }

  async saveRequest(request: ChangeRequest, expectedVersion: number): Promise<void> {
    const stored = this.requests.get(request.id)?.version ?? 0;
    if (stored !== expectedVersion) throw versionMismatch(request.id, expectedVersion, stored);
    this.requests.set(request.id, structuredClone(request));
  }

  async appendAudit(environment: string, record: AuditRecord): Promise<AuditEntry> {
    const entries = this.audit.get(environment) ?? [];
    const entry = chainAuditEntry(environment, entries.at(-1), structuredClone(record));
    entries.push(entry);
    this.audit.set(environment, entries);
    return structuredClone(entry);
  }

  async readAudit(environment: string): Promise<AuditEntry[]> {
    return structuredClone(this.audit.get(environment) ?? []);
  }

  /**
   * Direct access to the stored history, for tests that tamper with it (edit, delete, reorder).
   * @internal
   */
  rawAudit(environment: string): AuditEntry[] {
    const entries = this.audit.get(environment) ?? [];
    this.audit.set(environment, entries);
    return entries;
  }
}

export function versionMismatch(id: string, expected: number, actual: number): StateError {
  return new StateError(
    'revision-mismatch',
    `Change request ${id} was changed by someone else meanwhile (version ${actual}, expected ${expected}); read it again and retry`,
    { changeRequest: id, expectedVersion: expected, actualVersion: actual },
  );
}
