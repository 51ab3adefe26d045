import { type CallContext, ProviderError, pollUntil, type ResourceRef } from '@patchbay/core';
import type { AwsContext } from './aws-context.js';

export interface WaitForStatusOptions<T> {
  /** Who is awaited, for messages: `EKS cluster prod`. */
  subject: string;
  /** The state awaited, for the timeout message: `active`. */
  state: string;
  timeoutMs: number;
  /** The type's describe; undefined means the resource is gone. */
  describe: () => Promise<T | undefined>;
  /** The type's own reading of one description: report progress, throw on a failed state, true once settled. */
  settled: (current: T) => boolean;
}

/**
 * Every create/update wait polls a describe the same way, kept in one place: poll until `settled`, and
 * a resource that vanishes meanwhile is a not-found ProviderError (`<subject> disappeared`).
 */
export function waitForStatus<T>(
  ctx: AwsContext,
  ref: ResourceRef,
  call: CallContext,
  options: WaitForStatusOptions<T>,
): Promise<T> {
  return pollUntil(
    {
      provider: 'aws',
      what: `${options.subject} to be ${options.state}`,
      intervalMs: ctx.pollIntervalMs,
      timeoutMs: options.timeoutMs,
      signal: call.signal,
      resource: ref.id,
    },
    async () => {
      const current = await options.describe();
      if (!current)
        throw new ProviderError('aws', 'wait', 'not-found', `${options.subject} disappeared`, {
          resource: ref.id,
        });
      return options.settled(current) ? current : undefined;
    },
  );
}
