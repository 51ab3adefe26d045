import { DescribeUpdateCommand, type Update } from '@aws-sdk/client-eks';
import { type CallContext, ProviderError, pollUntil } from '@patchbay/core';
import { awsCall } from './aws-call.js';
import type { AwsContext } from './aws-context.js';

/**
 * Follow an EKS update id with DescribeUpdate until it is Successful; Failed or Cancelled becomes a
 * fatal ProviderError carrying EKS's error codes. EKS runs one update at a time per resource, so a
 * patch calls this after each update before it sends the next.
 */
export async function followEksUpdate(
  ctx: AwsContext,
  target: { cluster: string; nodegroup?: string; resource: string },
  update: Update | undefined,
  call: CallContext,
): Promise<Update> {
  if (!update?.id) {
    throw new ProviderError('aws', 'update', 'fatal', 'EKS returned no update id', {
      resource: target.resource,
    });
  }
  const label = `${target.nodegroup ? `node group ${target.nodegroup}` : `cluster ${target.cluster}`} update ${update.id} (${update.type ?? 'update'})`;
  return pollUntil(
    {
      provider: 'aws',
      what: label,
      intervalMs: ctx.pollIntervalMs,
      timeoutMs: ctx.waitTimeoutMs.eks,
      signal: call.signal,
      resource: target.resource,
    },
    async () => {
      const out = await awsCall('DescribeUpdate', target.resource, () =>
        ctx.eks.send(
          new DescribeUpdateCommand({
            name: target.cluster,
            updateId: update.id,
            nodegroupName: target.nodegroup,
          }),
          { abortSignal: call.signal },
        ),
      );
      const current = out.update;
      call.progress(`${label}: ${current?.status ?? 'unknown'}`);
      if (current?.status === 'Failed' || current?.status === 'Cancelled') {
        const reasons = (current.errors ?? []).map((e) => `${e.errorCode}: ${e.errorMessage}`).join('; ');
        throw new ProviderError(
          'aws',
          'update',
          'fatal',
          `${label} ${current.status.toLowerCase()}${reasons ? `: ${reasons}` : ''}`,
          {
            resource: target.resource,
            cause: current.errors,
          },
        );
      }
      return current?.status === 'Successful' ? current : undefined;
    },
  );
}
