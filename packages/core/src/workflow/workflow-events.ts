import { EventEmitter } from 'eventemitter3';
import type { Permission } from './access-policy.js';
import type { AuditEntry } from './audit-chain.js';
import type { ChangeRequest } from './change-request.js';

/**
 * Typed workflow events for portals (notifications, live views). Payloads hold the change request as
 * stored — no secret — and the audit entry each change was recorded as.
 */
export interface WorkflowEventMap {
  'change:proposed': [event: { request: ChangeRequest; audit: AuditEntry }];
  'change:approved': [event: { request: ChangeRequest; approver: string; audit: AuditEntry }];
  'change:rejected': [event: { request: ChangeRequest; approver: string; reason: string; audit: AuditEntry }];
  'change:superseded': [event: { request: ChangeRequest; by: string; audit: AuditEntry }];
  'change:applied': [event: { request: ChangeRequest; actor: string; audit: AuditEntry }];
  'change:failed': [event: { request: ChangeRequest; actor: string; audit: AuditEntry }];
  'permission:denied': [
    event: { actor: string; permission: Permission; environment: string; reason?: string; audit: AuditEntry },
  ];
  'lock:released': [event: { environment: string; actor: string; holder: string; audit: AuditEntry }];
}

/** The emitter `createWorkflow()` exposes as `workflow.events`. */
export class WorkflowEvents extends EventEmitter<WorkflowEventMap> {}
