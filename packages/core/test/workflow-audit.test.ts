import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AuditEntry,
  canonicalJson,
  chainAuditEntry,
  FileWorkflowStore,
  type MemoryWorkflowStore,
  type ResourceSpec,
  verifyAuditChain,
} from '@patchbay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { service, workflowFixture } from './support/workflow-fixture.js';

/** A history of five entries in prod: proposed, approved, applied, proposed, denied. */
async function history(f: ReturnType<typeof workflowFixture>) {
  const cr = await f.workflow.propose({
    environment: 'prod',
    desired: [service('prod', 2)],
    author: 'alice',
    title: 'a',
  });
  await f.workflow.approve(cr.id, 'bob');
  await f.workflow.apply(cr.id, 'alice');
  const next = await f.workflow.propose({
    environment: 'prod',
    desired: [service('prod', 3)],
    author: 'alice',
    title: 'b',
  });
  await f.workflow.approve(next.id, 'vic').catch(() => undefined);
  const entries = await f.workflow.audit('prod', 'vic');
  expect(entries.map((e) => e.event)).toEqual(['proposed', 'approved', 'applied', 'proposed', 'denied']);
  return entries;
}

describe('audit hash chain (memory store)', () => {
  it('links every entry to the one before with sha256(previousHash + canonical JSON)', async () => {
    const f = workflowFixture();
    const entries = await history(f);
    expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]?.previousHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.previousHash).toBe(entries[i - 1]?.hash);
    // Independent recomputation of one hash.
    const { createHash } = await import('node:crypto');
    const { hash, previousHash, ...rest } = entries[2] as AuditEntry;
    expect(createHash('sha256').update(previousHash).update(canonicalJson(rest)).digest('hex')).toBe(hash);
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });

  it('detects an edited entry and names it', async () => {
    const f = workflowFixture();
    const store = f.store as MemoryWorkflowStore;
    await history(f);
    const raw = store.rawAudit('prod');
    (raw[1] as AuditEntry).actor = 'mallory'; // who approved, rewritten
    expect(await f.workflow.verifyAudit('prod', 'vic')).toMatchObject({
      ok: false,
      entries: 5,
      firstBad: { index: 1, sequence: 2, problem: 'hash-mismatch' },
    });
  });

  it('detects an edit whose hash was recomputed (the next entry no longer links to it)', async () => {
    const f = workflowFixture();
    const store = f.store as MemoryWorkflowStore;
    await history(f);
    const raw = store.rawAudit('prod');
    const forged = chainAuditEntry('prod', raw[1], { ...(raw[2] as AuditEntry), details: { ok: true } });
    raw[2] = forged;
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 3,
      problem: 'broken-link',
    });
  });

  it('detects a removed entry', async () => {
    const f = workflowFixture();
    const store = f.store as MemoryWorkflowStore;
    await history(f);
    store.rawAudit('prod').splice(4 - 1, 1); // the second proposal
    const result = await f.workflow.verifyAudit('prod', 'vic');
    expect(result).toMatchObject({ ok: false, firstBad: { index: 3, sequence: 5, problem: 'broken-link' } });
    expect(result.firstBad?.message).toMatch(/removed or reordered/);
    // Removing the first entry is caught too.
    store.rawAudit('prod').shift();
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 0,
      problem: 'broken-link',
    });
  });

  it('detects reordered entries', async () => {
    const f = workflowFixture();
    const store = f.store as MemoryWorkflowStore;
    await history(f);
    const raw = store.rawAudit('prod');
    [raw[1], raw[2]] = [raw[2] as AuditEntry, raw[1] as AuditEntry];
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 1,
      sequence: 3,
      problem: 'broken-link',
    });
  });

  it('detects a removed tail against a saved head', async () => {
    const f = workflowFixture();
    const store = f.store as MemoryWorkflowStore;
    const entries = await history(f);
    const head = { sequence: entries.length, hash: (entries.at(-1) as AuditEntry).hash };
    expect(await f.workflow.verifyAudit('prod', 'vic', { head })).toEqual({ ok: true, entries: 5 });
    store.rawAudit('prod').pop();
    // The chain alone is still valid: only the head shows the truncation.
    expect((await f.workflow.verifyAudit('prod', 'vic')).ok).toBe(true);
    expect((await f.workflow.verifyAudit('prod', 'vic', { head })).firstBad).toMatchObject({
      problem: 'head-mismatch',
      sequence: 5,
    });
  });

  it('verifyAuditChain refuses an entry of another environment', () => {
    const a = chainAuditEntry('dev', undefined, { event: 'proposed', actor: 'x', at: 't', details: {} });
    expect(verifyAuditChain('prod', [a]).firstBad).toMatchObject({ index: 0, problem: 'wrong-environment' });
  });
});

describe('FileWorkflowStore', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-workflow-'));
    dirs.push(dir);
    return dir;
  };

  it('keeps requests and the audit history across store instances; version compare-and-set', async () => {
    const dir = await tempDir();
    const f = workflowFixture({ store: new FileWorkflowStore(dir) });
    const entries = await history(f);
    expect((await readdir(join(dir, 'requests'))).sort()).toEqual(['cr-1.json', 'cr-2.json']);
    const reopened = new FileWorkflowStore(dir);
    expect(await reopened.readAudit('prod')).toEqual(entries);
    expect((await reopened.getRequest('cr-1'))?.status).toBe('applied');
    expect((await reopened.listRequests('prod')).map((r) => r.id)).toEqual(['cr-1', 'cr-2']);
    // Another instance appends after what the first wrote (it re-reads the tail).
    const appended = await reopened.appendAudit('prod', {
      event: 'denied',
      actor: 'z',
      at: 't',
      details: {},
    });
    expect(appended).toMatchObject({ sequence: 6, previousHash: (entries.at(-1) as AuditEntry).hash });
    expect(verifyAuditChain('prod', await reopened.readAudit('prod')).ok).toBe(true);
    const stale = (await reopened.getRequest('cr-2')) as NonNullable<
      Awaited<ReturnType<FileWorkflowStore['getRequest']>>
    >;
    await expect(
      reopened.saveRequest({ ...stale, version: stale.version + 1 }, stale.version - 1),
    ).rejects.toMatchObject({
      reason: 'revision-mismatch',
    });
    await expect(reopened.getRequest('../etc/passwd')).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('verifyAudit names an edited, removed or reordered line of the file', async () => {
    const dir = await tempDir();
    const store = new FileWorkflowStore(dir);
    const f = workflowFixture({ store });
    await history(f);
    const file = store.auditFile('prod');
    const original = await readFile(file, 'utf8');
    const lines = original.trimEnd().split('\n');
    const write = (ls: string[]) => writeFile(file, `${ls.join('\n')}\n`);

    await write(lines.map((l, i) => (i === 2 ? l.replace('"created":1', '"created":0') : l)));
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 2,
      problem: 'hash-mismatch',
    });

    await write(lines.filter((_, i) => i !== 1));
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 1,
      problem: 'broken-link',
    });

    await write([lines[0], lines[2], lines[1], lines[3], lines[4]] as string[]);
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 1,
      problem: 'broken-link',
    });

    await write(lines.map((l, i) => (i === 3 ? l.slice(0, 20) : l)));
    expect((await f.workflow.verifyAudit('prod', 'vic')).firstBad).toMatchObject({
      index: 3,
      problem: 'unreadable',
    });

    await writeFile(file, original);
    expect(await f.workflow.verifyAudit('prod', 'vic')).toEqual({ ok: true, entries: 5 });
  });

  it('drops a torn last line (an append that never returned) and appends after the last whole entry', async () => {
    const dir = await tempDir();
    const store = new FileWorkflowStore(dir);
    await store.appendAudit('prod', { event: 'proposed', actor: 'a', at: 't1', details: {} });
    const file = store.auditFile('prod');
    await writeFile(file, `${await readFile(file, 'utf8')}{"environment":"prod","seq`);
    const fresh = new FileWorkflowStore(dir);
    expect(await fresh.readAudit('prod')).toHaveLength(1);
    await fresh.appendAudit('prod', { event: 'approved', actor: 'b', at: 't2', details: {} });
    const entries = await fresh.readAudit('prod');
    expect(entries.map((e) => e.sequence)).toEqual([1, 2]);
    expect(verifyAuditChain('prod', entries).ok).toBe(true);
  });
});

describe('workflow: secrets', () => {
  const SECRET = 'hunter2-PLANTED-workflow-s3cr3t';
  const withSecret = (password: string, replicas = 1): ResourceSpec =>
    service('prod', replicas, {
      attributes: { replicas, image: 'api:1', password },
      sensitive: ['password'],
    });

  it('never appear in requests, plans, audit, events or errors; a rotated secret makes the approval stale', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-workflow-'));
    try {
      const store = new FileWorkflowStore(dir);
      const f = workflowFixture({ store });
      const seen: string[] = [];
      const cr = await f.workflow.propose({
        environment: 'prod',
        desired: [withSecret(SECRET)],
        author: 'alice',
        title: 'db password',
      });
      expect(cr.desired).toBeUndefined(); // never stored when a secret is in it
      await f.workflow.approve(cr.id, 'bob');
      const { request } = await f.workflow.apply(cr.id, 'alice');
      expect(request.status).toBe('applied');
      expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.password).toBe(SECRET);

      // A rotation after approval: the redacted plan looks the same, the digest does not.
      const rotate = await f.workflow.propose({
        environment: 'prod',
        desired: [withSecret(`${SECRET}-2`)],
        author: 'alice',
        title: 'rotate',
      });
      await f.workflow.approve(rotate.id, 'bob');
      const restarted = f.restart();
      const missing = await restarted.apply(rotate.id, 'alice').catch((e: unknown) => e);
      expect(missing).toMatchObject({ name: 'ValidationError', issues: [{ path: ['desired'] }] });
      const stale = await restarted
        .apply(rotate.id, 'alice', { desired: [withSecret(`${SECRET}-3`)] })
        .catch((e: unknown) => e);
      expect(stale).toMatchObject({ reason: 'stale-plan' });
      expect((stale as { details: { changes: string[] } }).details.changes).toEqual([
        'the desired resources differ from the ones proposed and approved',
      ]);
      expect(f.cloud.get('memory.service', 'prod-svc')?.attributes.password).toBe(SECRET);

      seen.push(JSON.stringify(missing), JSON.stringify(stale), String((stale as Error).message));
      seen.push(JSON.stringify(f.log), JSON.stringify(await f.workflow.list('vic')));
      seen.push(JSON.stringify(await f.workflow.audit('prod', 'vic')));
      for (const name of await readdir(dir, { recursive: true })) {
        if (name.endsWith('.json') || name.endsWith('.jsonl'))
          seen.push(await readFile(join(dir, name), 'utf8'));
      }
      expect(seen.length).toBeGreaterThan(7);
      for (const text of seen) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain('hunter2');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
