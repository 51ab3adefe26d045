import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors/validation-error.js';
import { parseState } from './state-schema.js';
import {
  type CommitOptions,
  type CommitResult,
  type EnvironmentState,
  emptyState,
  type LockInfo,
  type StateChange,
  type StateStore,
} from './state-store.js';
import { applyStateChange, dropLock, renewLease, takeLock } from './state-transitions.js';

export interface FileStoreOptions {
  /** Clock for lease expiry. @default Date.now */
  now?: () => number;
  /** A mutex file older than this is considered left by a dead process. @default 30_000 */
  staleMutexMs?: number;
}

type Operation<T> = (state: EnvironmentState) => { state: EnvironmentState; result: T };

interface QueuedOperation {
  change: Operation<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/**
 * The embedded default state store: one JSON file per environment in a directory.
 * Writes go to a temp file, are fsynced, renamed over the old file, and the directory is fsynced,
 * so a crash leaves either the old or the new state, never a torn file. A short-lived `.mutex`
 * file (created with O_EXCL) serializes read-modify-write between processes. Commits that arrive while a
 * write is in flight share the next write (group commit), so concurrent applies stay fast.
 *
 * @example
 * const store = new FileStore('.patchbay');
 */
export class FileStore implements StateStore {
  readonly directory: string;
  private readonly now: () => number;
  private readonly staleMutexMs: number;
  private readonly queues = new Map<string, QueuedOperation[]>();
  private readonly flushing = new Set<string>();
  private readonly cache = new Map<string, { state: EnvironmentState; text: string }>();

  /** @param directory where state files live. @default '.patchbay' */
  constructor(directory = '.patchbay', options: FileStoreOptions = {}) {
    this.directory = resolve(directory);
    this.now = options.now ?? Date.now;
    this.staleMutexMs = options.staleMutexMs ?? 30_000;
  }

  /** Path of an environment's state file. */
  fileFor(environment: string): string {
    if (!ENVIRONMENT_NAME.test(environment)) {
      throw new ValidationError('Environment name', [
        {
          path: ['environment'],
          message: 'cannot be used as a state file name',
          received: environment,
          allowed:
            'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 100 characters',
        },
      ]);
    }
    return join(this.directory, `${environment}.json`);
  }

  async read(environment: string): Promise<EnvironmentState> {
    const cached = await this.cached(environment);
    return cached ? structuredClone(cached) : this.load(environment);
  }

  /** The copy this store last wrote, if the file has not changed since (another process may have written). */
  private async cached(environment: string): Promise<EnvironmentState | undefined> {
    const cached = this.cache.get(environment);
    if (!cached) return undefined;
    // Comparing the bytes is cheap next to parsing and validating them, and unlike mtime/inode it cannot
    // be fooled by another process writing within the same millisecond.
    const text = await readFile(this.fileFor(environment), 'utf8').catch(() => undefined);
    if (text === cached.text) return cached.state;
    this.cache.delete(environment);
    return undefined;
  }

  async commit(environment: string, change: StateChange, options: CommitOptions = {}): Promise<CommitResult> {
    return this.update(environment, (state) => {
      const next = applyStateChange(state, change, options, this.now());
      return { state: next, result: { revision: next.revision } };
    });
  }

  acquireLock(environment: string, holder: string, leaseMs: number): Promise<LockInfo> {
    return this.update(environment, (state) => {
      const { state: next, lock } = takeLock(state, holder, leaseMs, this.now());
      return { state: next, result: lock };
    });
  }

  renewLock(environment: string, holder: string, leaseMs: number): Promise<LockInfo> {
    return this.update(environment, (state) => {
      const { state: next, lock } = renewLease(state, holder, leaseMs, this.now());
      return { state: next, result: lock };
    });
  }

  async releaseLock(environment: string, holder: string): Promise<void> {
    await this.update(environment, (state) => ({ state: dropLock(state, holder), result: undefined }));
  }

  private async load(environment: string): Promise<EnvironmentState> {
    const file = this.fileFor(environment);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(environment);
      throw error;
    }
    return parseState(text, file);
  }

  /** The state as on disk; reuses the copy this store last wrote when the file has not changed since. */
  private async loadForUpdate(environment: string): Promise<EnvironmentState> {
    return (await this.cached(environment)) ?? this.load(environment);
  }

  /**
   * Read-modify-write, serialized in-process and, through the mutex file, across processes. Group commit:
   * changes that arrive while a write is in flight are applied together and made durable by the next single
   * write; each caller resolves only once its change is on disk.
   */
  private update<T>(environment: string, change: Operation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(environment) ?? [];
      queue.push({ change, resolve, reject } as QueuedOperation);
      this.queues.set(environment, queue);
      if (!this.flushing.has(environment)) void this.flush(environment);
    });
  }

  private async flush(environment: string): Promise<void> {
    this.flushing.add(environment);
    try {
      for (;;) {
        const batch = this.queues.get(environment) ?? [];
        if (batch.length === 0) break;
        this.queues.set(environment, []);
        await this.writeBatch(environment, batch);
      }
    } finally {
      this.flushing.delete(environment);
    }
  }

  private async writeBatch(environment: string, batch: QueuedOperation[]): Promise<void> {
    let release: (() => Promise<void>) | undefined;
    try {
      const file = this.fileFor(environment);
      await mkdir(this.directory, { recursive: true });
      release = await this.lockFile(`${file}.mutex`);
      let state = await this.loadForUpdate(environment);
      const done: { op: QueuedOperation; result: unknown }[] = [];
      for (const op of batch) {
        try {
          // Transitions throw before changing anything when they refuse, so a refused one leaves `state` intact.
          const { state: next, result } = op.change(state);
          state = next;
          done.push({ op, result });
        } catch (error) {
          op.reject(error);
        }
      }
      if (done.length) {
        const text = `${JSON.stringify(state, null, 2)}\n`;
        await this.writeAtomic(file, text);
        this.cache.set(environment, { state, text });
      }
      for (const { op, result } of done) op.resolve(result);
    } catch (error) {
      this.cache.delete(environment);
      for (const op of batch) op.reject(error);
    } finally {
      await release?.();
    }
  }

  private async writeAtomic(file: string, text: string): Promise<void> {
    const temp = `${file}.${randomUUID()}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    const dir = await open(this.directory, 'r');
    try {
      await dir.sync();
    } catch {
      // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
    } finally {
      await dir.close();
    }
  }

  private async lockFile(path: string): Promise<() => Promise<void>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(path, 'wx');
        await handle.close();
        return () => rm(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const info = await stat(path).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > this.staleMutexMs) await rm(path, { force: true });
        else await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 100)));
      }
    }
  }
}
