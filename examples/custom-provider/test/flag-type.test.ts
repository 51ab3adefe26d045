import { ConflictError, type ResourceRef, ValidationError } from '@patchbay/core';
import { type Sandbox, startSandbox } from '@patchbay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagsApiError, FlagsClient, flags, flagsApi } from '../src/index.js';

// What testProvider does not reach: the read-before-write path (the engine passes a version whenever
// observe returns one), the API's own refusals, and option validation.
let sandbox: Sandbox;
const ctx = { signal: new AbortController().signal, progress: () => {} };
const ref: ResourceRef = { id: 'flag/a', type: 'flags.flag', name: 'rbw-flag', environment: 'test' };

beforeAll(async () => {
  sandbox = await startSandbox({ apis: [flagsApi] });
});
afterAll(() => sandbox.close());

describe('flags.flag', () => {
  it('read-before-write: refuses when an expected value moved, writes when it did not', async () => {
    const type = flags({ endpoint: sandbox.url, project: 'demo' }).types['flags.flag']!;
    await type.create(
      { ref, attributes: { valueType: 'boolean', rollout: 10 }, idempotencyToken: 't1' },
      ctx,
    );
    sandbox.console.edit('flags', 'flag', 'demo/rbw-flag', { rolloutBasisPoints: 2500 });
    const change = { attribute: 'rollout', from: 10, to: 50 };
    await expect(
      type.patch(ref, [change], { kind: 'read-before-write', expected: { rollout: 10 } }, ctx),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await type.observe(ref, ctx))?.attributes.rollout).toBe(25);
    await type.patch(
      ref,
      [{ ...change, from: 25 }],
      { kind: 'read-before-write', expected: { rollout: 25 } },
      ctx,
    );
    expect((await type.observe(ref, ctx))?.attributes.rollout).toBe(50);
  });

  it('a retried create with the same idempotency key returns the flag it made', async () => {
    const type = flags({ endpoint: sandbox.url, project: 'demo' }).types['flags.flag']!;
    const input = {
      ref: { ...ref, name: 'idem-flag' },
      attributes: { valueType: 'string' },
      idempotencyToken: 'k1',
    };
    const first = await type.create(input, ctx);
    const again = await type.create(input, ctx);
    expect(again.physicalId).toBe(first.physicalId);
    await expect(type.create({ ...input, idempotencyToken: 'k2' }, ctx)).rejects.toMatchObject({
      status: 409,
    });
  });

  it('the API refuses a write without If-Match and a change of valueType', async () => {
    const client = new FlagsClient(sandbox.url, 'demo', undefined, fetch);
    await client.create({ key: 'strict-flag', valueType: 'number' }, 'k3');
    const flag = (await client.get('strict-flag'))!;
    await expect(client.update('strict-flag', { valueType: 'string' }, flag.version)).rejects.toMatchObject({
      status: 400,
      code: 'IMMUTABLE_FIELD',
    });
    const raw = await fetch(`${sandbox.url}/flags/v1/projects/demo/flags/strict-flag`, {
      method: 'PATCH',
      body: JSON.stringify({ enabled: true }),
    });
    expect(raw.status).toBe(428);
    await expect(client.update('strict-flag', { defaultValue: 'x' }, flag.version)).rejects.toBeInstanceOf(
      FlagsApiError,
    );
  });

  it('rejects bad options and bad attribute values before any call', async () => {
    expect(() => flags({ project: 'Not A Project', endpoint: 'nope' })).toThrow(ValidationError);
    const type = flags({ endpoint: sandbox.url, project: 'demo' }).types['flags.flag']!;
    const before = sandbox.counters.total('flags');
    await expect(
      type.create(
        { ref: { ...ref, name: 'bad' }, attributes: { valueType: 'date' }, idempotencyToken: 'k4' },
        ctx,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(sandbox.counters.total('flags')).toBe(before);
  });
});
