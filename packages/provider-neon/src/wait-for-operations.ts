import { setTimeout as sleep } from 'node:timers/promises';
import type { Operation } from '@neondatabase/api-client';
import { type CallContext, ProviderError } from '@patchbay/core';
import { classifyNeonError, neonErrorDetail } from './classify-neon-error.js';
import type { NeonContext } from './neon-context.js';

const DONE = new Set(['finished', 'skipped']);
const FAILED = new Set(['failed', 'error', 'cancelled']);

/**
 * Wait until every operation a mutation started has finished, so a dependent call does not collide with
 * it (Neon answers 423 Locked meanwhile). Throttled or transient poll failures are waited out within the
 * timeout; a failed operation is fatal with Neon's error text.
 */
export async function waitForOperations(
  ctx: NeonContext,
  operations: readonly Operation[] | undefined,
  call: CallContext,
  resource: string,
): Promise<void> {
  const pending = (operations ?? []).filter((op) => !DONE.has(op.status));
  if (pending.length === 0) return;
  const deadline = Date.now() + ctx.waitTimeoutMs;
  for (const first of pending) {
    let op: Operation = first;
    for (;;) {
      if (DONE.has(op.status)) break;
      if (FAILED.has(op.status)) {
        throw new ProviderError(
          'neon',
          'wait',
          op.status === 'cancelled' ? 'transient' : 'fatal',
          `operation ${op.action} (${op.id}) ${op.status}${op.error ? `: ${op.error}` : ''}`,
          { resource },
        );
      }
      call.progress(`Neon ${op.action}: ${op.status}`);
      if (Date.now() >= deadline) {
        throw new ProviderError(
          'neon',
          'wait',
          'transient',
          `gave up waiting for operation ${op.action} (${op.id}) after ${Math.round(ctx.waitTimeoutMs / 1000)}s`,
          { resource },
        );
      }
      await sleep(ctx.pollIntervalMs, undefined, { signal: call.signal });
      try {
        op = (await ctx.api.getProjectOperation(op.project_id, op.id, { signal: call.signal })).data
          .operation;
      } catch (error) {
        const kind = classifyNeonError(error);
        if (kind !== 'throttled' && kind !== 'transient') {
          throw new ProviderError('neon', 'getProjectOperation', kind, neonErrorDetail(error).message, {
            cause: neonErrorDetail(error),
            resource,
          });
        }
        // Polling is throttled per route like any call: keep waiting until the deadline.
      }
    }
  }
}
