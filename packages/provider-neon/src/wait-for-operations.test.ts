import type { Api, Operation } from '@neondatabase/api-client';
import { ProviderError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { NeonContext } from './neon-context.js';
import { waitForOperations } from './wait-for-operations.js';

const operation = (status: string, extra: Partial<Operation> = {}): Operation =>
  ({ id: 'op-1', project_id: 'p-1', action: 'start_compute', status, ...extra }) as Operation;

/** A context whose getProjectOperation answers (or throws) the given steps in turn. */
const contextAnswering = (steps: Array<Operation | Error>, waitTimeoutMs = 60_000) => {
  let reads = 0;
  const api = {
    getProjectOperation: async () => {
      const step = steps[Math.min(reads, steps.length - 1)];
      reads += 1;
      if (step instanceof Error) throw step;
      return { data: { operation: step } };
    },
  } as unknown as Api<unknown>;
  const ctx: NeonContext = {
    api,
    pollIntervalMs: 0,
    waitTimeoutMs,
    rolePasswords: undefined,
    projectsByEnvironment: new Map(),
    projectsByResource: new Map(),
  };
  return { ctx, reads: () => reads };
};

const call = () => {
  const progress: string[] = [];
  return {
    signal: new AbortController().signal,
    progress: (line: string) => progress.push(line),
    lines: progress,
  };
};

const throttled = () => Object.assign(new Error('rate limited'), { response: { status: 429, data: {} } });

describe('waitForOperations', () => {
  it('does not read anything when every operation is already done', async () => {
    const { ctx, reads } = contextAnswering([]);
    await waitForOperations(ctx, [operation('finished'), operation('skipped')], call(), 'db/neon');
    expect(reads()).toBe(0);
  });

  it('polls until finished, waiting out a throttled read and reporting progress', async () => {
    const { ctx, reads } = contextAnswering([operation('running'), throttled(), operation('finished')]);
    const c = call();
    await waitForOperations(ctx, [operation('scheduling')], c, 'db/neon');
    expect(reads()).toBe(3);
    expect(c.lines).toEqual([
      'Neon start_compute: scheduling',
      'Neon start_compute: running',
      'Neon start_compute: running',
    ]);
  });

  it('fails fatally with Neon’s error text when the operation failed', async () => {
    const { ctx } = contextAnswering([operation('failed', { error: 'compute quota exceeded' })]);
    const error = await waitForOperations(ctx, [operation('running')], call(), 'db/neon').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'neon', kind: 'fatal', resource: 'db/neon' });
    expect((error as Error).message).toContain('compute quota exceeded');
  });

  it('a cancelled operation is transient, a refused read is not waited out', async () => {
    const cancelled = contextAnswering([operation('cancelled')]).ctx;
    await expect(
      waitForOperations(cancelled, [operation('running')], call(), 'db/neon'),
    ).rejects.toMatchObject({
      kind: 'transient',
    });
    const denied = contextAnswering([
      Object.assign(new Error('forbidden'), { response: { status: 403, data: {} } }),
    ]).ctx;
    await expect(waitForOperations(denied, [operation('running')], call(), 'db/neon')).rejects.toMatchObject({
      operation: 'getProjectOperation',
      kind: 'fatal',
    });
  });

  it('gives up with a transient ProviderError once the deadline has passed', async () => {
    const { ctx } = contextAnswering([operation('running')], 0);
    await expect(waitForOperations(ctx, [operation('running')], call(), 'db/neon')).rejects.toMatchObject({
      provider: 'neon',
      operation: 'wait',
      kind: 'transient',
    });
  });
});
