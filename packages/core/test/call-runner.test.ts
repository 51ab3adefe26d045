import { EngineEvents, memoryProvider, ProviderError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { CallRunner, queueOptions } from '../src/engine/call-runner.js';
import type { EngineClock } from '../src/engine/engine-clock.js';
import { ProviderRegistry } from '../src/engine/provider-registry.js';
import { DEFAULT_RETRY } from '../src/engine/retry-policy.js';

const clock: EngineClock = { now: () => 0, random: () => 1, sleep: async () => {} };

function runner(concurrency = 8) {
  const events = new EngineEvents();
  return { events, runner: new CallRunner({ concurrency, retry: DEFAULT_RETRY, clock, events }) };
}

describe('CallRunner', () => {
  it('maps API limits to p-queue options (rate per second → interval cap)', () => {
    expect(queueOptions(undefined)).toEqual({ concurrency: Number.POSITIVE_INFINITY });
    expect(queueOptions({ concurrency: 4, ratePerSecond: 20 })).toEqual({
      concurrency: 4,
      intervalCap: 20,
      interval: 1000,
    });
    expect(queueOptions({ ratePerSecond: 0.5 })).toEqual({
      concurrency: Number.POSITIVE_INFINITY,
      intervalCap: 1,
      interval: 2000,
    });
  });

  it('keeps one write in flight per resource for serial-update types, and runs other resources in parallel', async () => {
    const provider = memoryProvider();
    const resolved = new ProviderRegistry([provider]).resolve('memory.database')!;
    expect(resolved.type.serialUpdates).toBe(true);
    const { runner: r } = runner();
    const active = new Map<string, number>();
    let maxSame = 0;
    let maxAll = 0;
    const write = (resource: string) =>
      r.run(
        resolved,
        { resource, operation: 'patch', signal: new AbortController().signal, write: true },
        async () => {
          active.set(resource, (active.get(resource) ?? 0) + 1);
          maxSame = Math.max(maxSame, active.get(resource)!);
          maxAll = Math.max(
            maxAll,
            [...active.values()].reduce((a, b) => a + b, 0),
          );
          await new Promise((res) => setTimeout(res, 5));
          active.set(resource, active.get(resource)! - 1);
        },
      );
    await Promise.all([write('db/a'), write('db/a'), write('db/a'), write('db/b')]);
    expect(maxSame).toBe(1);
    expect(maxAll).toBe(2);
    expect(r.calls).toBe(4);
  });

  it('gives up after the configured attempts and stops retrying when aborted', async () => {
    const provider = memoryProvider();
    const resolved = new ProviderRegistry([provider]).resolve('memory.service')!;
    const { runner: r, events } = runner();
    const retries: number[] = [];
    events.on('retry:scheduled', (e) => retries.push(e.attempt));
    const throttled = () => Promise.reject(new ProviderError('memory', 'patch', 'throttled', 'slow down'));
    await expect(
      r.run(resolved, { resource: 'x', operation: 'patch', signal: new AbortController().signal }, throttled),
    ).rejects.toBeInstanceOf(ProviderError);
    expect(retries).toEqual([1, 2, 3, 4, 5]);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      r.run(resolved, { resource: 'x', operation: 'patch', signal: controller.signal }, throttled),
    ).rejects.toThrow();
    expect(retries).toHaveLength(5);
  });
});
