import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileStore,
  MemoryStore,
  STATE_FORMAT_VERSION,
  StateError,
  type StateStore,
  ValidationError,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { engineFixture, service } from './support/engine-fixture.js';

const record = {
  type: 'memory.service',
  name: 'a',
  physicalId: 'p-1',
  attributes: { x: 1 },
  outputs: {},
  appliedAt: '2026-01-01T00:00:00.000Z',
};

async function behavesAsStore(make: (now: () => number) => Promise<StateStore>) {
  let now = 1_000;
  const store = await make(() => now);
  expect(await store.read('dev')).toEqual({
    formatVersion: 1,
    environment: 'dev',
    revision: 0,
    resources: {},
    journal: [],
  });
  const s1 = await store.commit('dev', { put: { a: record } });
  expect(s1.revision).toBe(1);
  await expect(store.commit('dev', { remove: ['a'] }, { expectedRevision: 0 })).rejects.toMatchObject({
    reason: 'revision-mismatch',
  });
  const intent = {
    kind: 'create-intent' as const,
    id: 'b',
    type: 'memory.service',
    name: 'b',
    idempotencyToken: 't',
    at: 'x',
  };
  await store.commit('dev', { addIntents: [intent] });
  expect((await store.read('dev')).journal).toEqual([intent]);
  expect(await store.commit('dev', { clearIntents: ['b'] })).toEqual({ revision: 3 });
  expect((await store.read('dev')).journal).toEqual([]);

  const lock = await store.acquireLock('dev', 'alice', 10_000);
  expect(lock).toEqual({
    holder: 'alice',
    since: new Date(1_000).toISOString(),
    expiresAt: new Date(11_000).toISOString(),
  });
  const error = await store.acquireLock('dev', 'bob', 10_000).catch((e) => e);
  expect(error).toBeInstanceOf(StateError);
  expect(error.message).toContain('alice');
  expect(error.message).toContain(new Date(1_000).toISOString());
  // Lock operations do not move the revision (a plan stays valid across its own apply's lock).
  expect((await store.read('dev')).revision).toBe(3);
  await expect(store.commit('dev', { remove: ['a'] }, { holder: 'bob' })).rejects.toMatchObject({
    reason: 'locked',
  });
  now = 20_000;
  await store.acquireLock('dev', 'bob', 10_000);
  await expect(store.renewLock('dev', 'alice', 10_000)).rejects.toMatchObject({ reason: 'locked' });
  await store.releaseLock('dev', 'alice');
  expect((await store.read('dev')).lock?.holder).toBe('bob');
  await store.releaseLock('dev', 'bob');
  expect((await store.read('dev')).lock).toBeUndefined();
  // Environments are separate.
  expect((await store.read('prod')).revision).toBe(0);
}

describe('state stores', () => {
  it('MemoryStore: commits, revisions, journal and leased lock', async () => {
    await behavesAsStore(async (now) => new MemoryStore({ now }));
  });

  it('FileStore: same behaviour, one versioned JSON file per environment, atomic writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-state-'));
    await behavesAsStore(async (now) => new FileStore(dir, { now }));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['dev.json']);
    const doc = JSON.parse(await readFile(join(dir, 'dev.json'), 'utf8'));
    expect(doc).toMatchObject({ formatVersion: STATE_FORMAT_VERSION, environment: 'dev', revision: 3 });
  });

  it('FileStore: a corrupt or newer file is a clear error naming the file, never a reset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-state-'));
    const store = new FileStore(dir);
    await writeFile(join(dir, 'dev.json'), '{ not json');
    const corrupt = await store.read('dev').catch((e) => e);
    expect(corrupt).toMatchObject({ reason: 'corrupt' });
    expect(corrupt.message).toContain(join(dir, 'dev.json'));
    await expect(store.commit('dev', {})).rejects.toMatchObject({ reason: 'corrupt' });
    expect(await readFile(join(dir, 'dev.json'), 'utf8')).toBe('{ not json');

    await writeFile(join(dir, 'dev.json'), JSON.stringify({ formatVersion: 2, environment: 'dev' }));
    const newer = await store.read('dev').catch((e) => e);
    expect(newer).toMatchObject({ reason: 'unsupported-version' });
    expect(newer.message).toContain('upgrade');

    await writeFile(
      join(dir, 'dev.json'),
      JSON.stringify({ formatVersion: 1, environment: 'dev', revision: 'x' }),
    );
    await expect(store.read('dev')).rejects.toMatchObject({ reason: 'corrupt' });
    expect(() => new FileStore(dir).fileFor('../escape')).toThrow(ValidationError);
  });

  it('FileStore: serializes concurrent commits without losing any', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-state-'));
    const a = new FileStore(dir);
    const b = new FileStore(dir); // a second instance, as a second process would hold
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).commit('dev', { put: { [`r${i}`]: record } })),
    );
    const state = await a.read('dev');
    expect(state.revision).toBe(20);
    expect(Object.keys(state.resources)).toHaveLength(20);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp') || f.endsWith('.mutex'))).toEqual([]);
    expect((await new FileStore(dir).read('dev')).revision).toBe(20);
  });

  it('FileStore: commits append to a log that another instance replays; locks fold it into the snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-state-'));
    const a = new FileStore(dir);
    await a.acquireLock('dev', 'me', 60_000);
    await a.commit('dev', { put: { a: record } }, { holder: 'me' });
    await a.commit('dev', { put: { b: { ...record, name: 'b' } } }, { holder: 'me' });
    expect((await readdir(dir)).sort()).toEqual(['dev.json', 'dev.log']);
    expect((await readFile(join(dir, 'dev.log'), 'utf8')).trim().split('\n')).toHaveLength(2);
    const other = await new FileStore(dir).read('dev');
    expect(other.revision).toBe(2);
    expect(Object.keys(other.resources)).toEqual(['a', 'b']);
    expect(other.lock?.holder).toBe('me');
    await a.releaseLock('dev', 'me');
    expect((await readdir(dir)).sort()).toEqual(['dev.json']);
    expect(JSON.parse(await readFile(join(dir, 'dev.json'), 'utf8')).revision).toBe(2);
  });

  it('FileStore: drops a torn last log line (a crash mid-append), refuses a corrupt one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-state-'));
    const a = new FileStore(dir);
    await a.commit('dev', { put: { a: record } });
    await writeFile(
      join(dir, 'dev.log'),
      `${await readFile(join(dir, 'dev.log'), 'utf8')}{"revision":2,"chan`,
    );
    const b = new FileStore(dir);
    expect((await b.read('dev')).revision).toBe(1);
    // The next write folds the log into a snapshot, so the torn bytes are gone for good.
    await b.commit('dev', { remove: ['a'] });
    expect((await new FileStore(dir).read('dev')).revision).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['dev.json']);

    await writeFile(join(dir, 'dev.log'), 'garbage\n{"revision":3,"change":{}}\n');
    const error = await new FileStore(dir).read('dev').catch((e) => e);
    expect(error).toMatchObject({ reason: 'corrupt' });
    expect(error.message).toContain('dev.log line 1');
    await writeFile(join(dir, 'dev.log'), '{"revision":9,"change":{}}\n');
    await expect(new FileStore(dir).read('dev')).rejects.toMatchObject({ reason: 'corrupt' });
  });

  it('an engine over a FileStore survives a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-state-'));
    const f = engineFixture({ store: new FileStore(dir) });
    await f.converge([service(2)]);
    const g = engineFixture({ store: new FileStore(dir), provider: { cloud: f.cloud } });
    const plan = await g.engine.plan([service(2)]);
    expect(plan.empty).toBe(true);
    expect(plan.reads).toBe(0);
  });
});
