import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors/validation-error.js';
import { parseState } from './state-schema.js';
import {
  type CommitOptions,
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

const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/**
 * The embedded default state store: one JSON file per environment in a directory.
 * Writes go to a temp file, are fsynced, renamed over the old file, and the directory is fsynced,
 * so a crash leaves either the old or the new state, never a torn file. A short-lived `.mutex`
 * file (created with O_EXCL) serializes read-modify-write between processes.
 *
 * @example
 * const store = new FileStore('.patchbay');
 */
export class FileStore implements StateStore {
  readonly directory: string;
  private readonly now: () => number;
  private readonly staleMutexMs: number;
  private chain: Promise<unknown> = Promise.resolve();

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
    return this.load(environment);
  }

  commit(environment: string, change: StateChange, options: CommitOptions = {}): Promise<EnvironmentState> {
    return this.update(environment, (state) => {
      const next = applyStateChange(state, change, options, this.now());
      return { state: next, result: next };
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

  /** Serialized read-modify-write: in-process through a promise chain, across processes through the mutex file. */
  private update<T>(
    environment: string,
    change: (state: EnvironmentState) => { state: EnvironmentState; result: T },
  ): Promise<T> {
    const run = this.chain.then(async () => {
      const file = this.fileFor(environment);
      await mkdir(this.directory, { recursive: true });
      const release = await this.lockFile(`${file}.mutex`);
      try {
        const { state, result } = change(await this.load(environment));
        await this.writeAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
        return result;
      } finally {
        await release();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
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
