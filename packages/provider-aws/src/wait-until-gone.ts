import type { CallContext, ResourceRef } from '@patchbay/core';
import { pollUntil } from '@patchbay/core';
import type { AwsContext } from './aws-context.js';

export interface WaitUntilGoneOptions<T> {
  /** Who is awaited, for the timeout message: `RDS instance prod-main`. */
  subject: string;
  timeoutMs: number;
  /** The type's describe; undefined means the resource is gone. */
  describe: () => Promise<T | undefined>;
  /** The progress line for a resource still there (`RDS instance prod-main: deleting`). */
  progress: (left: T) => string;
}

/** Every delete waits the same way, kept in one place: poll the describe until it finds nothing. */
export async function waitUntilGone<T>(
  ctx: AwsContext,
  ref: ResourceRef,
  call: CallContext,
  options: WaitUntilGoneOptions<T>,
): Promise<void> {
  await pollUntil(
    {
      provider: 'aws',
      what: `${options.subject} to be deleted`,
      intervalMs: ctx.pollIntervalMs,
      timeoutMs: options.timeoutMs,
      signal: call.signal,
      resource: ref.id,
    },
    async () => {
      const left = await options.describe();
      if (left) call.progress(options.progress(left));
      return left ? undefined : true;
    },
  );
}
