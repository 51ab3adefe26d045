import type {
  AttributeChange,
  CallContext,
  Precondition,
  Provider,
  ResourceRef,
  ResourceType,
} from '@patchbay/core';

/** One provider call the suite saw the engine make. */
export interface RecordedCall {
  type: string;
  operation: 'observe' | 'create' | 'patch' | 'delete';
  ref: ResourceRef;
  /** The changes handed to `patch`. */
  changes?: AttributeChange[];
  precondition?: Precondition;
  /** Set when the call threw. */
  error?: unknown;
}

/**
 * Wraps a provider so every call the engine makes through it is recorded: the suite checks what was
 * asked of the provider (e.g. a one-attribute patch hands it exactly one change), not only the result.
 */
export class RecordingProvider {
  readonly calls: RecordedCall[] = [];
  readonly provider: Provider;

  constructor(inner: Provider) {
    const types: Record<string, ResourceType> = {};
    for (const [name, type] of Object.entries(inner.types)) types[name] = this.wrap(name, type);
    this.provider = { ...inner, types };
  }

  /** Calls since `mark` (an index from `calls.length`), optionally of one operation. */
  since(mark: number, operation?: RecordedCall['operation']): RecordedCall[] {
    return this.calls.slice(mark).filter((call) => operation === undefined || call.operation === operation);
  }

  private wrap(name: string, type: ResourceType): ResourceType {
    const record = async <T>(entry: RecordedCall, run: () => Promise<T>): Promise<T> => {
      this.calls.push(entry);
      try {
        return await run();
      } catch (error) {
        entry.error = error;
        throw error;
      }
    };
    const wrapped: ResourceType = {
      ...type,
      observe: (ref, ctx) => record({ type: name, operation: 'observe', ref }, () => type.observe(ref, ctx)),
      create: (input, ctx) =>
        record({ type: name, operation: 'create', ref: input.ref }, () => type.create(input, ctx)),
      patch: (ref, changes, precondition, ctx) =>
        record({ type: name, operation: 'patch', ref, changes: structuredClone(changes), precondition }, () =>
          type.patch(ref, changes, precondition, ctx),
        ),
    };
    const del = type.delete;
    if (del) {
      wrapped.delete = (ref: ResourceRef, ctx: CallContext) =>
        record({ type: name, operation: 'delete', ref }, () => del.call(type, ref, ctx));
    } else {
      delete wrapped.delete;
    }
    return wrapped;
  }
}
