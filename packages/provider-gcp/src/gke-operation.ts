import type { protos } from '@google-cloud/container';
import { type CallContext, ProviderError, pollUntil, type ResourceRef } from '@patchbay/core';
import { isPassingGcpError } from './classify-gcp-error.js';
import type { GcpContext } from './gcp-context.js';

type Operation = protos.google.container.v1.IOperation;

/** Status DONE, by name or by number (decoded messages may carry either). */
const isDone = (status: unknown) => status === 'DONE' || status === 3;

/**
 * Polls a GKE operation (`projects/p/locations/l/operations/<name>`) until DONE; its `error` fails the call.
 * GKE runs one operation per cluster, so every step of a multi-step patch waits here before the next.
 */
export async function waitForGkeOperation(
  ctx: GcpContext,
  location: string,
  operation: Operation,
  ref: ResourceRef,
  call: CallContext,
): Promise<void> {
  const name = operation.name?.includes('/')
    ? operation.name
    : `projects/${ctx.project}/locations/${location}/operations/${operation.name}`;
  await pollUntil(
    {
      provider: 'gcp',
      waitOutError: isPassingGcpError,
      what: `GKE operation ${operation.name} (${operation.operationType}) DONE`,
      intervalMs: ctx.pollIntervalMs,
      timeoutMs: ctx.waitTimeoutMs.gke,
      signal: call.signal,
      resource: ref.id,
    },
    async () => {
      const [op] = isDone(operation.status) ? [operation] : await ctx.gke.getOperation({ name });
      if (!isDone(op.status)) {
        call.progress(`GKE ${ref.name}: ${op.operationType} ${op.status}`);
        return undefined;
      }
      if (op.error?.message || op.error?.code) {
        throw new ProviderError(
          'gcp',
          String(op.operationType ?? 'operation'),
          'fatal',
          `GKE operation ${op.name} failed: ${op.error.message ?? ''} (code ${op.error.code ?? '?'})`,
          { resource: ref.id },
        );
      }
      return true;
    },
  );
}
