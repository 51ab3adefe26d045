import { type CallContext, pollUntil } from '@patchbay/core';
import type { K8sContext } from './k8s-context.js';

/**
 * Every k8s delete waits the same way, kept in one place: the API accepts a delete at once but the object
 * lingers (finalizers, a terminating namespace), so poll `read` until it finds nothing.
 */
export async function waitUntilGone(
  ctx: K8sContext,
  call: CallContext,
  kind: string,
  id: string,
  read: () => Promise<unknown>,
): Promise<void> {
  await pollUntil(
    {
      provider: 'k8s',
      what: `${kind} ${id} deleted`,
      intervalMs: ctx.pollIntervalMs,
      timeoutMs: ctx.waitTimeoutMs,
      signal: call.signal,
      resource: id,
    },
    async () => ((await read()) === undefined ? true : undefined),
  );
}
