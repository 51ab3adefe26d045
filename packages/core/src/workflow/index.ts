export {
  type AccessPolicy,
  type AccessTarget,
  accessPolicy,
  type EnvironmentType,
  type Grant,
  PERMISSIONS,
  type Permission,
  ROLE_PERMISSIONS,
  type Role,
} from './access-policy.js';
export {
  type AuditEntry,
  type AuditEvent,
  type AuditHead,
  type AuditProblem,
  type AuditRecord,
  type AuditVerification,
  chainAuditEntry,
  GENESIS_HASH,
  verifyAuditChain,
} from './audit-chain.js';
export { canonicalJson } from './canonical-json.js';
export type { ChangePlanOptions, ChangeRequest, ChangeStatus } from './change-request.js';
export {
  type ApplyChangeOptions,
  createWorkflow,
  type ProposeInput,
  type Workflow,
  type WorkflowOptions,
} from './create-workflow.js';
export { FileWorkflowStore } from './file-workflow-store.js';
export { MemoryWorkflowStore } from './memory-workflow-store.js';
export { planChanges } from './plan-changes.js';
export type { WorkflowEnvironment } from './workflow-environment.js';
export { type WorkflowEventMap, WorkflowEvents } from './workflow-events.js';
export type { WorkflowStore } from './workflow-store.js';
