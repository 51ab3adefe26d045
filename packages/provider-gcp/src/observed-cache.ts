/**
 * The raw resource last read per name, with its version token. A compare-and-set write built from the copy
 * read at version V is exactly as safe as one built from a fresh read at V (the API refuses it if V is no
 * longer current), so a patch whose precondition is V needs no second read. Bounded: oldest entries go first.
 */
export class ObservedCache<T> {
  private readonly entries = new Map<string, { version: string; value: T }>();

  constructor(private readonly max = 2000) {}

  set(name: string, version: string | undefined, value: T): void {
    this.entries.delete(name);
    if (version === undefined) return;
    this.entries.set(name, { version, value: structuredClone(value) });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** A copy of the cached resource if it was read at `version`. */
  get(name: string, version: string): T | undefined {
    const hit = this.entries.get(name);
    return hit && hit.version === version ? structuredClone(hit.value) : undefined;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }
}
