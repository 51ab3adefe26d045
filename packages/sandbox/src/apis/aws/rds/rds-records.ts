import type { RdsTag } from './rds-schemas.js';

/** Sandbox-only bookkeeping, never sent on the wire. */
export interface RdsInternal {
  /** Epoch ms when the current transition (creating, modifying, deleting) finishes. */
  settleAt?: number;
  /** Pending values being applied by the current `modifying` transition (wire names, as in PendingModifiedValues). */
  applying?: Record<string, unknown>;
  /** Port of the endpoint that appears when creation finishes. */
  createPort?: number;
}

/** A stored DB instance: the wire `DBInstance` shape plus `_sandbox`. Id: DBInstanceIdentifier. */
export interface RdsInstance {
  DBInstanceIdentifier: string;
  DBInstanceArn: string;
  DBInstanceStatus: string;
  Engine: string;
  EngineVersion: string;
  DBInstanceClass: string;
  PendingModifiedValues: Record<string, unknown>;
  TagList: RdsTag[];
  DeletionProtection: boolean;
  _sandbox: RdsInternal;
  [field: string]: unknown;
}
