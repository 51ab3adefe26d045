import { mkdir, readdir, readFile, stat, truncate } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StateError } from '../errors/state-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { appendFileDurably, syncDirectory, writeFileAtomic } from '../state/durable-file.js';
import { type AuditEntry, type AuditRecord, chainAuditEntry } from './audit-chain.js';
import type { ChangeRequest } from './change-request.js';
import { versionMismatch } from './memory-workflow-store.js';
import type { WorkflowStore } from './workflow-store.js';

const SAFE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

/**
 * The embedded default workflow store, in a directory:
 * - `requests/<id>.json`, one change request each, replaced atomically (temp file, fsync, rename);
 * - `audit/<environment>.jsonl`, the environment's audit history, one entry per line, appended and
 *   fsynced before `appendAudit` returns.
 * Writes are serialized within this process; run one writing process per directory (portals with
 * several replicas need a database-backed store).
 *
 * @example
 * const store = new FileWorkflowStore('.patchbay/workflow');
 */
export class FileWorkflowStore implements WorkflowStore {
  readonly directory: string;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Last entry and file size per audit log, valid while the file keeps that size. */
  private readonly heads = new Map<string, { last: AuditEntry | undefined; size: number }>();

  /** @param directory where the files live. @default '.patchbay/workflow' */
  constructor(directory = '.patchbay/workflow') {
    this.directory = resolve(directory);
  }

  async getRequest(id: string): Promise<ChangeRequest | undefined> {
    const file = this.requestFile(id);
    const text = await readIfExists(file);
    return text === undefined ? undefined : parseRequest(text, file);
  }

  async listRequests(environment?: string): Promise<ChangeRequest[]> {
    const dir = join(this.directory, 'requests');
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const requests: ChangeRequest[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = join(dir, name);
      const text = await readIfExists(file);
      if (text !== undefined) requests.push(parseRequest(text, file));
    }
    return requests
      .filter((r) => environment === undefined || r.environment === environment)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  saveRequest(request: ChangeRequest, expectedVersion: number): Promise<void> {
    const file = this.requestFile(request.id);
    return this.serialized(file, async () => {
      const current = await readIfExists(file);
      const stored = current === undefined ? 0 : parseRequest(current, file).version;
      if (stored !== expectedVersion) throw versionMismatch(request.id, expectedVersion, stored);
      await mkdir(join(this.directory, 'requests'), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(request, null, 2)}\n`);
    });
  }

  appendAudit(environment: string, record: AuditRecord): Promise<AuditEntry> {
    const file = this.auditFile(environment);
    return this.serialized(file, async () => {
      const size = (await stat(file).catch(() => undefined))?.size ?? 0;
      let head = this.heads.get(file);
      if (!head || head.size !== size) {
        head = { last: (await this.readAuditFile(file)).at(-1), size: await dropTornLine(file, size) };
      }
      const entry = chainAuditEntry(environment, head.last, record);
      const line = `${JSON.stringify(entry)}\n`;
      await mkdir(join(this.directory, 'audit'), { recursive: true });
      await appendFileDurably(file, line);
      if (head.size === 0) await syncDirectory(join(this.directory, 'audit'));
      this.heads.set(file, { last: entry, size: head.size + Buffer.byteLength(line) });
      return entry;
    });
  }

  readAudit(environment: string): Promise<AuditEntry[]> {
    return this.readAuditFile(this.auditFile(environment));
  }

  /** Path of an environment's audit log. */
  auditFile(environment: string): string {
    return join(this.directory, 'audit', `${safeName(environment, 'environment')}.jsonl`);
  }

  private requestFile(id: string): string {
    return join(this.directory, 'requests', `${safeName(id, 'id')}.json`);
  }

  private async readAuditFile(file: string): Promise<AuditEntry[]> {
    const text = (await readIfExists(file)) ?? '';
    // A last line without its newline is an append that never returned (a crash): it never happened.
    return text
      .split('\n')
      .slice(0, -1)
      .map((line, i) => {
        try {
          return JSON.parse(line) as AuditEntry;
        } catch (cause) {
          throw new StateError(
            'corrupt',
            `Audit log ${file} line ${i + 1} is not valid JSON`,
            { source: file, line: i + 1 },
            { cause },
          );
        }
      });
  }

  /** Run `task` after every earlier task on the same key. */
  private serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(key) ?? Promise.resolve()).then(task, task);
    const settled = run.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return run;
  }
}

function safeName(name: string, what: 'environment' | 'id'): string {
  if (typeof name === 'string' && SAFE_NAME.test(name)) return name;
  throw new ValidationError(what === 'id' ? 'Change request id' : 'Environment name', [
    {
      path: [what],
      message: 'cannot be used as a file name',
      received: name,
      allowed: 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters',
    },
  ]);
}

function parseRequest(text: string, file: string): ChangeRequest {
  try {
    return JSON.parse(text) as ChangeRequest;
  } catch (cause) {
    throw new StateError(
      'corrupt',
      `Change request file ${file} is not valid JSON; restore it from a backup`,
      { source: file },
      { cause },
    );
  }
}

/** Cut a torn last line (see readAuditFile) so the next entry starts on a line of its own; returns the new size. */
async function dropTornLine(file: string, size: number): Promise<number> {
  if (size === 0) return 0;
  const text = await readFile(file);
  const end = text.lastIndexOf(0x0a) + 1;
  if (end !== text.length) await truncate(file, end);
  return end;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
