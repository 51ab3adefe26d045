import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stored record: the API's JSON data plus the store generation of its last write. */
export interface StoredRecord<T = Record<string, unknown>> {
  data: T;
  /** Store-wide, strictly increasing across all APIs: derive etags / resourceVersion / settingsVersion from it. */
  generation: number;
  /** Epoch ms of creation and last write. */
  createdAt: number;
  updatedAt: number;
}

interface ApiFile {
  format: 1;
  generation: number;
  collections: Record<string, Record<string, StoredRecord>>;
}

/**
 * One collection (`api` + `kind`, e.g. `ecs` + `service`) of JSON records keyed by id.
 * Every write bumps the store generation and is written through to `dataDir` before it returns.
 */
export class Collection<T = Record<string, unknown>> {
  constructor(
    private readonly store: ResourceStore,
    readonly api: string,
    readonly kind: string,
  ) {}

  get(id: string): StoredRecord<T> | undefined {
    return this.records().get(id) as StoredRecord<T> | undefined;
  }

  has(id: string): boolean {
    return this.records().has(id);
  }

  /** Inserts or replaces `data` under `id`, bumping the generation. Returns the new stored record. */
  put(id: string, data: T): StoredRecord<T> {
    const records = this.records();
    const now = Date.now();
    const previous = records.get(id);
    const record: StoredRecord<T> = {
      data,
      generation: this.store.nextGeneration(),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    records.set(id, record as StoredRecord);
    this.store.persist(this.api);
    return record;
  }

  delete(id: string): boolean {
    const deleted = this.records().delete(id);
    if (deleted) {
      this.store.nextGeneration();
      this.store.persist(this.api);
    }
    return deleted;
  }

  /** Records in insertion order, with their ids. */
  entries(): [string, StoredRecord<T>][] {
    return [...this.records().entries()] as [string, StoredRecord<T>][];
  }

  values(): StoredRecord<T>[] {
    return [...this.records().values()] as StoredRecord<T>[];
  }

  private records(): Map<string, StoredRecord> {
    return this.store.collectionMap(this.api, this.kind);
  }
}

/**
 * JSON records for every API, one file per API in `dataDir` (`<api>.json`), written atomically
 * (write to a temp file, then rename) on every write and reloaded on start. Without `dataDir`
 * everything stays in memory.
 */
export class ResourceStore {
  private readonly apis = new Map<string, Map<string, Map<string, StoredRecord>>>();
  private generationCounter = 0;

  constructor(readonly dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.load(dataDir);
    }
  }

  collection<T = Record<string, unknown>>(api: string, kind: string): Collection<T> {
    return new Collection<T>(this, api, kind);
  }

  /** Current store generation (the generation of the latest write). */
  get generation(): number {
    return this.generationCounter;
  }

  /** Every collection that holds records: `[api, kind, collection]`. */
  collections(api?: string): Collection[] {
    const result: Collection[] = [];
    for (const [apiName, kinds] of this.apis) {
      if (api !== undefined && apiName !== api) continue;
      for (const kind of kinds.keys()) result.push(this.collection(apiName, kind));
    }
    return result;
  }

  /** Drops every record of one API (or of all APIs), on disk too. */
  reset(api?: string): void {
    const names = api === undefined ? [...this.apis.keys()] : [api];
    for (const name of names) {
      this.apis.delete(name);
      if (this.dataDir) rmSync(join(this.dataDir, `${name}.json`), { force: true });
    }
    this.nextGeneration();
  }

  /** @internal */
  nextGeneration(): number {
    this.generationCounter += 1;
    return this.generationCounter;
  }

  /** @internal */
  collectionMap(api: string, kind: string): Map<string, StoredRecord> {
    let kinds = this.apis.get(api);
    if (!kinds) {
      kinds = new Map();
      this.apis.set(api, kinds);
    }
    let records = kinds.get(kind);
    if (!records) {
      records = new Map();
      kinds.set(kind, records);
    }
    return records;
  }

  /** @internal Writes one API's file; synchronous so a response is only sent once its write is on disk. */
  persist(api: string): void {
    if (!this.dataDir) return;
    const kinds = this.apis.get(api) ?? new Map<string, Map<string, StoredRecord>>();
    const file: ApiFile = { format: 1, generation: this.generationCounter, collections: {} };
    for (const [kind, records] of kinds) file.collections[kind] = Object.fromEntries(records);
    const target = join(this.dataDir, `${api}.json`);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(file));
    renameSync(temp, target);
  }

  private load(dataDir: string): void {
    for (const name of readdirSync(dataDir)) {
      if (!name.endsWith('.json')) continue;
      const api = name.slice(0, -'.json'.length);
      const file = JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as ApiFile;
      if (file.format !== 1) throw new Error(`Sandbox data file ${name} has unknown format ${file.format}`);
      this.generationCounter = Math.max(this.generationCounter, file.generation);
      for (const [kind, records] of Object.entries(file.collections)) {
        const map = this.collectionMap(api, kind);
        for (const [id, record] of Object.entries(records)) map.set(id, record);
      }
    }
  }
}
