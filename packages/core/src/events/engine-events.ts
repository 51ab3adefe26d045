import { EventEmitter } from 'eventemitter3';
import type { ActionKind, ApplySummary, AttributeDiff, Plan, PlannedAction } from '../engine/plan-types.js';

/** Identifies the action an apply event is about. Values are already redacted. */
export interface ActionEventBase {
  id: string;
  type: string;
  kind: ActionKind;
}

/**
 * Typed events of plan, apply and refresh. Payloads never carry sensitive values: attribute values of
 * `sensitive` attributes are omitted, error messages come from Patchbay's own redacted errors.
 */
export interface EngineEventMap {
  'plan:computed': [plan: Plan];
  'action:started': [event: ActionEventBase];
  'action:progress': [event: ActionEventBase & { message: string }];
  'action:finished': [event: ActionEventBase & { outcome: string; durationMs: number }];
  'action:failed': [event: ActionEventBase & { error: string; errorKind: string }];
  'retry:scheduled': [
    event: {
      id: string;
      operation: string;
      attempt: number;
      delayMs: number;
      errorKind: string;
      error: string;
    },
  ];
  'drift:kept': [event: { id: string; type: string; attribute: AttributeDiff }];
  conflict: [event: { id: string; type: string; attribute?: string; message: string }];
  'apply:finished': [summary: ApplySummary];
  'refresh:finished': [event: { resources: number; drifted: number; missing: number; apiCalls: number }];
}

/** The emitter `createEngine()` exposes as `engine.events`. */
export class EngineEvents extends EventEmitter<EngineEventMap> {}

export type { PlannedAction };
