import type { Operation } from '@neondatabase/api-client';
import { type CallContext, ProviderError, pollUntil } from '@patchbay/core';
import { classifyNeonError, neonErrorDetail } from './classify-neon-error.js';
import type { NeonContext } from './neon-context.js';

const DONE = new Set(['finished', 'skipped']);
const FAILED = new Set(['failed', 'error', 'cancelled']);

/**
 * Wait until every operation a mutation started has finished, so a dependent call does not collide with
 * it (Neon answers 423 Locked meanwhile). One deadline covers all of them. Throttled or transient poll
 * failures are waited out within the timeout; a failed operation is fatal with Neon's error text.
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
    let read = false;
    await pollUntil(
      {
        provider: 'neon',
        what: `operation ${first.action} (${first.id})`,
        intervalMs: ctx.pollIntervalMs,
        timeoutMs: Math.max(0, deadline - Date.now()),
        signal: call.signal,
        resource,
      },
      async () => {
        // The mutation's answer already carries each operation's status: read it again only from the second poll on.
        if (read) {
          const next = await readOperation(ctx, op, call, resource);
          if (next) op = next;
        }
        read = true;
        if (DONE.has(op.status)) return true;
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
        return undefined;
      },
    );
  }
}

/** The operation as Neon reports it now; undefined when the read was throttled or failed transiently. */
async function readOperation(
  ctx: NeonContext,
  op: Operation,
  call: CallContext,
  resource: string,
): Promise<Operation | undefined> {
  try {
    return (await ctx.api.getProjectOperation(op.project_id, op.id, { signal: call.signal })).data.operation;
  } catch (error) {
    const kind = classifyNeonError(error);
    // Polling is throttled per route like any call: keep waiting until the deadline.
    if (kind === 'throttled' || kind === 'transient') return undefined;
    throw new ProviderError('neon', 'getProjectOperation', kind, neonErrorDetail(error).message, {
      cause: neonErrorDetail(error),
      resource,
    });
  }
}
