import { ProviderError, type ResourceRef } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from './aws-context.js';
import { waitForStatus } from './wait-for-status.js';
import { waitUntilGone } from './wait-until-gone.js';

const ctx = { pollIntervalMs: 1 } as AwsContext;
const ref = {
  id: 'db/main',
  type: 'aws.rds.instance',
  name: 'prod-main',
  environment: 'prod',
} as ResourceRef;

function call() {
  const messages: string[] = [];
  return { signal: new AbortController().signal, progress: (m: string) => messages.push(m), messages };
}

/** A describe answering from a script, one entry per call. */
function scripted<T>(answers: (T | undefined)[]) {
  let i = 0;
  return async () => answers[Math.min(i++, answers.length - 1)];
}

describe('waitForStatus', () => {
  it('polls until settled and returns that description', async () => {
    const c = call();
    const seen = await waitForStatus(ctx, ref, c, {
      subject: 'RDS instance prod-main',
      state: 'available',
      timeoutMs: 60_000,
      describe: scripted<{ s: string }>([{ s: 'creating' }, { s: 'available' }]),
      settled: (db) => {
        c.progress(db.s);
        return db.s === 'available';
      },
    });
    expect(seen).toEqual({ s: 'available' });
    expect(c.messages).toEqual(['creating', 'available']);
  });

  it('turns a resource that vanished mid-wait into a not-found ProviderError', async () => {
    const attempt = waitForStatus(ctx, ref, call(), {
      subject: 'RDS instance prod-main',
      state: 'available',
      timeoutMs: 60_000,
      describe: scripted<{ s: string }>([{ s: 'creating' }, undefined]),
      settled: () => false,
    });
    await expect(attempt).rejects.toBeInstanceOf(ProviderError);
    await expect(attempt).rejects.toMatchObject({
      kind: 'not-found',
      operation: 'wait',
      message: expect.stringContaining('RDS instance prod-main disappeared'),
    });
  });

  it('names the subject and state when it gives up', async () => {
    const attempt = waitForStatus(ctx, ref, call(), {
      subject: 'EKS cluster prod',
      state: 'active',
      timeoutMs: 0,
      describe: scripted<{ s: string }>([{ s: 'CREATING' }]),
      settled: () => false,
    });
    await expect(attempt).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('gave up waiting for EKS cluster prod to be active'),
    });
  });
});

describe('waitUntilGone', () => {
  it('reports progress while the resource is there and resolves once describe finds nothing', async () => {
    const c = call();
    await waitUntilGone(ctx, ref, c, {
      subject: 'RDS instance prod-main',
      timeoutMs: 60_000,
      describe: scripted<{ s: string }>([{ s: 'deleting' }, { s: 'deleting' }, undefined]),
      progress: (left) => `RDS instance prod-main: ${left.s}`,
    });
    expect(c.messages).toEqual(['RDS instance prod-main: deleting', 'RDS instance prod-main: deleting']);
  });

  it('names the subject when it gives up', async () => {
    const attempt = waitUntilGone(ctx, ref, call(), {
      subject: 'ECS service prod-api',
      timeoutMs: 0,
      describe: scripted<{ s: string }>([{ s: 'DRAINING' }]),
      progress: (left) => left.s,
    });
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringContaining('gave up waiting for ECS service prod-api to be deleted'),
    });
  });
});
