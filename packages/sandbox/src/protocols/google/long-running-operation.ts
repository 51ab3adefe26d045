import { randomUUID } from 'node:crypto';

/**
 * A stored `google.longrunning.Operation` (Cloud Run v2 and other AIP-151 APIs). The record keeps
 * what the API needs to finish it under `_sandbox`; `renderOperation` strips that.
 */
export interface LongRunningOperation {
  name: string;
  metadata?: Record<string, unknown>;
  done: boolean;
  response?: Record<string, unknown>;
  error?: { code: number; message: string; details?: object[] };
  _sandbox: {
    /** Epoch ms when the operation finishes. */
    settleAt: number;
    /** Id of the resource it acts on. */
    target: string;
    /** What it does, e.g. `create`, `update`, `delete`. */
    kind: string;
    /** The resource as it will be reported when the resource itself is gone (deletes). */
    snapshot?: Record<string, unknown>;
  };
}

/** A new pending operation named `{parent}/operations/{uuid}`. */
export function newOperation(
  parent: string,
  sandbox: LongRunningOperation['_sandbox'],
  metadata?: Record<string, unknown>,
): LongRunningOperation {
  return {
    name: `${parent}/operations/${randomUUID()}`,
    ...(metadata ? { metadata } : {}),
    done: false,
    _sandbox: sandbox,
  };
}

/** The wire shape: everything but `_sandbox`. */
export function renderOperation(operation: LongRunningOperation): Record<string, unknown> {
  const { _sandbox, ...wire } = operation;
  return wire;
}

/** Wraps a message as a `google.protobuf.Any` of `type` (e.g. `google.cloud.run.v2.Service`). */
export function anyOf(type: string, message: Record<string, unknown>): Record<string, unknown> {
  return { '@type': `type.googleapis.com/${type}`, ...message };
}
