import { createHash } from 'node:crypto';
import type { ApiContext } from '../../core/sandbox-api.js';
import type { StatusCause } from './kubernetes-errors.js';
import type { ResourceType } from './kubernetes-resource-types.js';

export type Json = Record<string, unknown>;

/** What a kind's hooks get for one write. */
export interface WriteContext {
  ctx: ApiContext;
  /** The operation (`createNamespacedDeployment`…): its `operationDelayMs` times long-running work. */
  operation: string;
  now: number;
  /** `now` as RFC 3339 (seconds), as k8s writes timestamps. */
  timestamp: string;
}

/**
 * Per-kind server behaviour: defaulting, validation (immutable fields included), and the status the
 * kind's controller would produce. Objects are the stored wire shape plus `_sandbox` bookkeeping.
 */
export interface KindStrategy {
  readonly type: ResourceType;
  /** Fills server defaults in `object` (mutate it). `previous` is the stored object on update. */
  defaults(object: Json, previous: Json | undefined, w: WriteContext): void;
  /** Semantic checks after defaulting, immutable fields included when `previous` is set. */
  validate(object: Json, previous: Json | undefined): StatusCause[];
  /** Sets status / due times for a write about to be stored (`object.status` is the previous status). */
  afterChange?(object: Json, previous: Json | undefined, specChanged: boolean, w: WriteContext): void;
  /** Advances time-based state (rollouts, load balancers, termination). */
  settle?(ctx: ApiContext): void;
}

/** RFC 3339 with seconds, the precision k8s timestamps have. */
export function k8sTimestamp(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/**
 * Digest of a spec, kept in `_sandbox.specHash` for kinds with a generation, so a console edit of the
 * spec (which bypasses the write path) can still be recognised as a spec change.
 */
export function specHash(spec: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(spec ?? null))
    .digest('hex')
    .slice(0, 16);
}
