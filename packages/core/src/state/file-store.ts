import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StateError } from '../errors/state-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { appendFileDurably, syncDirectory, writeFileAtomic } from './durable-file.js';
import { parseState, parseStateLog } from './state-schema.js';
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
import { deepFreeze, stateView } from './state-view.js';

export interface FileStoreOptions {
  /** Clock for lease expiry. @default Date.now */
  now?: () => number;
  /** A mutex file older than this is considered left by a dead process. @default 30_000 */
  staleMutexMs?: number;
}

/** A state transition; `logged` is the change to append, absent when the whole snapshot must be written. */
type Operation<T> = (state: EnvironmentState) => { state: EnvironmentState; result: T; logged?: StateChange };

/** What this store last wrote for an environment, valid while the files on disk are still exactly that. */
interface Snapshot {
  state: EnvironmentState;
  /** The snapshot file's text. */
  text: string;
  /** Byte length of the log after our last append. */
  logSize: number;
  logEntries: number;
}

/** Compact the log into the snapshot after this many entries, bounding replay on load. */
const COMPACT_AFTER = 1000;

interface QueuedOperation {
  change: Operation<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/**
 * The embedded default state store, one environment per pair of files in a directory:
 * - `<env>.json`, the snapshot (the versioned state document), replaced atomically: written to a temp
 *   file, fsynced, renamed over the old one, directory fsynced — a crash leaves the old or the new one;
 * - `<env>.log`, the commits since that snapshot, one JSON line each, appended and fsynced before the
 *   commit returns, so a commit costs the size of the change, not of the state. Lock changes and every
 *   1,000 commits fold the log into a new snapshot. A torn last line (a crash mid-append, whose commit
 *   never returned) is dropped; anything else unreadable is a `StateError('corrupt')` naming the file.
 * A short-lived `.mutex` file (O_EXCL) serializes writers across processes; commits arriving while a
 * write is in flight share the next one (group commit).
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
  private readonly cache = new Map<string, Snapshot>();

  /** @param directory where state files live. @default '.patchbay' */
  constructor(directory = '.patchbay', options: FileStoreOptions = {}) {
    this.directory = resolve(directory);
    this.now = options.now ?? Date.now;
    this.staleMutexMs = options.staleMutexMs ?? 30_000;
  }

  /** Path of an environment's snapshot file (its log is the same path with `.log` for `.json`). */
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
    return stateView(cached ? cached.state : (await this.load(environment)).state);
  }

  async commit(environment: string, change: StateChange, options: CommitOptions = {}): Promise<CommitResult> {
    const own = structuredClone(change);
    return this.update(environment, (state) => {
      const next = applyStateChange(state, own, options, this.now());
      return { state: next, result: { revision: next.revision }, logged: own };
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

  private logFor(environment: string): string {
    return this.fileFor(environment).replace(/\.json$/, '.log');
  }

  /** Snapshot plus replayed log, as on disk. */
  private async load(environment: string): Promise<Snapshot & { torn: boolean }> {
    const file = this.fileFor(environment);
    const text = await readIfExists(file);
    const state = text === undefined ? emptyState(environment) : parseState(text, file);
    for (const record of Object.values(state.resources)) deepFreeze(record);
    for (const entry of state.journal) deepFreeze(entry);
    const logFile = this.logFor(environment);
    const log = (await readIfExists(logFile)) ?? '';
    const { entries, torn } = parseStateLog(log, logFile);
    for (const entry of entries) {
      // Entries a snapshot already holds (a crash between writing it and removing the log) are skipped.
      if (entry.revision <= state.revision) continue;
      if (entry.revision !== state.revision + 1) {
        throw new StateError(
          'corrupt',
          `State log ${logFile} jumps from revision ${state.revision} to ${entry.revision}; restore it from a backup`,
          { source: logFile, revision: state.revision, next: entry.revision },
        );
      }
      applyStateChange(state, entry.change, {}, this.now());
    }
    return { state, text: text ?? '', logSize: Buffer.byteLength(log), logEntries: entries.length, torn };
  }

  /** What this store last wrote, if neither file changed since (another process may have written). */
  private async cached(environment: string): Promise<Snapshot | undefined> {
    const cached = this.cache.get(environment);
    if (!cached) return undefined;
    // Bytes, not mtime/inode: those can collide when another process writes within the same millisecond.
    const [text, log] = await Promise.all([
      readIfExists(this.fileFor(environment)),
      stat(this.logFor(environment)).catch(() => undefined),
    ]);
    if ((text ?? '') === cached.text && (log?.size ?? 0) === cached.logSize) return cached;
    this.cache.delete(environment);
    return undefined;
  }

  /**
   * Read-modify-write, serialized in-process and, through the mutex file, across processes. Group commit:
   * changes that arrive while a write is in flight are applied together and made durable by the next
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
    let settle = () => {};
    try {
      const file = this.fileFor(environment);
      await mkdir(this.directory, { recursive: true });
      release = await this.lockFile(`${file}.mutex`);
      const current = (await this.cached(environment)) ?? (await this.load(environment));
      let state = current.state;
      let snapshot = 'torn' in current && current.torn;
      const lines: string[] = [];
      const done: { op: QueuedOperation; result: unknown }[] = [];
      for (const op of batch) {
        try {
          // Transitions throw before changing anything when they refuse, so a refused one leaves `state` intact.
          const { state: next, result, logged } = op.change(state);
          state = next;
          if (logged) lines.push(`${JSON.stringify({ revision: state.revision, change: logged })}\n`);
          else snapshot = true;
          done.push({ op, result });
        } catch (error) {
          op.reject(error);
        }
      }
      if (done.length) {
        const logFile = this.logFor(environment);
        if (snapshot || current.logEntries + lines.length > COMPACT_AFTER) {
          const text = `${JSON.stringify(state, null, 2)}\n`;
          await writeFileAtomic(file, text);
          await rm(logFile, { force: true });
          await syncDirectory(this.directory);
          this.cache.set(environment, { state, text, logSize: 0, logEntries: 0 });
        } else if (lines.length) {
          const appended = lines.join('');
          await appendFileDurably(logFile, appended);
          if (current.logSize === 0) await syncDirectory(this.directory);
          this.cache.set(environment, {
            state,
            text: current.text,
            logSize: current.logSize + Buffer.byteLength(appended),
            logEntries: current.logEntries + lines.length,
          });
        }
      }
      // Callers resolve once the mutex is released too, so they never see a leftover `.mutex` file.
      settle = () => {
        for (const { op, result } of done) op.resolve(result);
      };
    } catch (error) {
      this.cache.delete(environment);
      settle = () => {
        for (const op of batch) op.reject(error);
      };
    } finally {
      await release?.().catch(() => undefined);
    }
    settle();
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

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
