import { ProviderError } from '@patchbay/core';
import { mergePatch } from '../core/merge-patch.js';
import type { StoredRecord } from '../core/resource-store.js';
import type { SandboxApi } from '../core/sandbox-api.js';
import type { SandboxRuntime } from '../core/sandbox-runtime.js';

/** One resource as the console lists it. */
export interface ConsoleEntry {
  api: string;
  kind: string;
  id: string;
  generation: number;
  updatedAt: string;
}

/**
 * Out-of-band edits, as a person in the cloud console would make them: every edit is a real write
 * (the resource's version token changes), so a provider sees it as drift on its next read.
 */
export class SandboxConsole {
  constructor(private readonly runtime: SandboxRuntime) {}

  /** Resources of one API, or of all. */
  list(api?: string): ConsoleEntry[] {
    const entries: ConsoleEntry[] = [];
    for (const target of this.runtime.apis) {
      if (api !== undefined && target.name !== api) continue;
      this.runtime.settle(target);
      for (const collection of this.runtime.store.collections(target.name)) {
        if (target.console && !target.console.kinds.includes(collection.kind)) continue;
        for (const [id, record] of collection.entries()) {
          entries.push({
            api: target.name,
            kind: collection.kind,
            id,
            generation: record.generation,
            updatedAt: new Date(record.updatedAt).toISOString(),
          });
        }
      }
    }
    // Stable order: APIs as served, kinds as each API declares them, then ids.
    const apiOrder = this.runtime.apis.map((a) => a.name);
    const kindOrder = (entry: ConsoleEntry) =>
      this.runtime.api(entry.api)?.console?.kinds.indexOf(entry.kind) ?? 0;
    return entries.sort(
      (a, b) =>
        apiOrder.indexOf(a.api) - apiOrder.indexOf(b.api) ||
        kindOrder(a) - kindOrder(b) ||
        a.kind.localeCompare(b.kind) ||
        a.id.localeCompare(b.id),
    );
  }

  /** A copy of one stored record, or undefined when there is none. */
  get(api: string, kind: string, id: string): StoredRecord | undefined {
    const target = this.apiNamed(api, 'get');
    this.runtime.settle(target);
    const record = this.runtime.store.collection(api, kind).get(id);
    return record ? structuredClone(record) : undefined;
  }

  /**
   * Changes fields of a resource with a JSON merge patch (objects merge, `null` removes, arrays replace).
   * @example console.edit('ecs', 'service', 'prod/api', { desiredCount: 5 })
   */
  edit(api: string, kind: string, id: string, patch: Record<string, unknown>): StoredRecord {
    const { target, record } = this.existing(api, kind, id, 'edit');
    const data = mergePatch(record.data, patch) as Record<string, unknown>;
    return this.write(target, kind, id, data);
  }

  /** Adds or replaces one tag / label, the API's own way. */
  tag(api: string, kind: string, id: string, key: string, value: string): StoredRecord {
    const { target, record } = this.existing(api, kind, id, 'tag');
    if (!target.console) {
      throw new ProviderError('sandbox', 'console.tag', 'fatal', `API ${api} does not support console tags`);
    }
    const copy = structuredClone(record);
    target.console.tag(kind, copy, key, value, this.runtime.context(target));
    return this.write(target, kind, id, copy.data);
  }

  /** Deletes a resource, as the console would. */
  delete(api: string, kind: string, id: string): void {
    const target = this.apiNamed(api, 'delete');
    this.runtime.settle(target);
    const ctx = this.runtime.context(target);
    const deleted = target.console?.delete
      ? target.console.delete(kind, id, ctx)
      : this.runtime.store.collection(api, kind).delete(id);
    if (!deleted) throw notFound('console.delete', api, kind, id);
  }

  /** Runs a named console action, e.g. `rds` `apply-pending` (what a maintenance window does). */
  action(api: string, kind: string, id: string, action: string): StoredRecord | undefined {
    const { target } = this.existing(api, kind, id, 'action');
    const run = target.console?.actions?.[action];
    if (!run) {
      const allowed = Object.keys(target.console?.actions ?? {});
      throw new ProviderError(
        'sandbox',
        'console.action',
        'fatal',
        `API ${api} has no console action ${JSON.stringify(action)}; allowed: ${allowed.join(', ') || 'none'}`,
      );
    }
    run(kind, id, this.runtime.context(target));
    return this.get(api, kind, id);
  }

  /** Deletes every resource of one API, or of all (counters and faults are left alone). */
  reset(api?: string): void {
    if (api !== undefined) this.apiNamed(api, 'reset');
    this.runtime.store.reset(api);
  }

  private existing(api: string, kind: string, id: string, operation: string) {
    const target = this.apiNamed(api, operation);
    this.runtime.settle(target);
    const record = this.runtime.store.collection(api, kind).get(id);
    if (!record) throw notFound(`console.${operation}`, api, kind, id);
    return { target, record };
  }

  private write(target: SandboxApi, kind: string, id: string, data: Record<string, unknown>): StoredRecord {
    this.runtime.store.collection(target.name, kind).put(id, data);
    target.console?.afterWrite?.(kind, id, this.runtime.context(target));
    return structuredClone(this.runtime.store.collection(target.name, kind).get(id)!);
  }

  private apiNamed(api: string, operation: string): SandboxApi {
    const target = this.runtime.api(api);
    if (!target) {
      const allowed = this.runtime.apis.map((a) => a.name).join(', ');
      throw new ProviderError(
        'sandbox',
        `console.${operation}`,
        'not-found',
        `Unknown API ${JSON.stringify(api)}; allowed: ${allowed}`,
      );
    }
    return target;
  }
}

function notFound(operation: string, api: string, kind: string, id: string): ProviderError {
  return new ProviderError(
    'sandbox',
    operation,
    'not-found',
    `No ${api} ${kind} with id ${JSON.stringify(id)}`,
    {
      resource: `${api}/${kind}/${id}`,
    },
  );
}
