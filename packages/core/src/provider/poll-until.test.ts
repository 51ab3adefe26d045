import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { type PollUntilOptions, pollUntil } from './poll-until.js';

const base = (over: Partial<PollUntilOptions> = {}): PollUntilOptions => ({
  provider: 'acme',
  what: 'database main to be ready',
  intervalMs: 0,
  timeoutMs: 60_000,
  signal: new AbortController().signal,
  resource: 'db:main',
  ...over,
});

/** A check that answers `undefined` `pending` times, then `value`. */
const after = <T>(pending: number, value: T) => {
  let calls = 0;
  const check = async () => {
    calls += 1;
    return calls > pending ? value : undefined;
  };
  return { check, calls: () => calls };
};

describe('pollUntil', () => {
  it('polls until the check returns a value and returns it', async () => {
    const probe = after(3, { state: 'ready' });
    await expect(pollUntil(base(), probe.check)).resolves.toEqual({ state: 'ready' });
    expect(probe.calls()).toBe(4);
  });

  it('treats falsy values other than undefined as an answer', async () => {
    await expect(pollUntil(base(), async () => 0)).resolves.toBe(0);
    await expect(pollUntil(base(), async () => false)).resolves.toBe(false);
  });

  it('gives up with a transient ProviderError of the given provider, naming what and the resource', async () => {
    const probe = after(Number.POSITIVE_INFINITY, true);
    const error = await pollUntil(base({ timeoutMs: 0 }), probe.check).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'acme',
      operation: 'wait',
      kind: 'transient',
      resource: 'db:main',
    });
    expect((error as Error).message).toContain('gave up waiting for database main to be ready after 0s');
    // The deadline is checked after a poll, so even a zero timeout polls once.
    expect(probe.calls()).toBe(1);
  });

  it('does not poll at all once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the caller'));
    const probe = after(0, true);
    await expect(pollUntil(base({ signal: controller.signal }), probe.check)).rejects.toThrow(
      'cancelled by the caller',
    );
    expect(probe.calls()).toBe(0);
  });

  it('stops mid-pause when the signal is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const waiting = pollUntil(
      base({ signal: controller.signal, intervalMs: 3_600_000, timeoutMs: 7_200_000 }),
      async () => {
        calls += 1;
        // Abort once the loop is in its hour-long pause; only an abortable pause lets the test end.
        setImmediate(() => controller.abort());
        return undefined;
      },
    );
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(1);
  });

  it('rethrows an error of a poll as is when no waitOutError is given', async () => {
    const boom = new Error('HTTP 503');
    await expect(
      pollUntil(base(), async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it('waits out the errors waitOutError accepts and rethrows the others', async () => {
    const busy = Object.assign(new Error('busy'), { status: 503 });
    const denied = Object.assign(new Error('denied'), { status: 403 });
    const waitOutError = (e: unknown) => (e as { status?: number }).status === 503;

    let calls = 0;
    const value = await pollUntil(base({ waitOutError }), async () => {
      calls += 1;
      if (calls <= 2) throw busy;
      return 'done';
    });
    expect(value).toBe('done');
    expect(calls).toBe(3);

    await expect(
      pollUntil(base({ waitOutError }), async () => {
        throw denied;
      }),
    ).rejects.toBe(denied);
  });

  it('still times out when every poll fails with a waited-out error', async () => {
    const error = await pollUntil(base({ timeoutMs: 0, waitOutError: () => true }), async () => {
      throw new Error('busy');
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'acme', kind: 'transient', operation: 'wait' });
  });
});
