import { isDeepStrictEqual } from 'node:util';
import {
  type AttributeChange,
  ConflictError,
  type JsonValue,
  type Observed,
  type Precondition,
  ProviderError,
} from '@patchbay/core';
import { k8sStatus, k8sStatusCode, toProviderError } from './classify-k8s-error.js';
import { attributeAt } from './map-changes.js';

/** A resource as the API returned it, with its observed (normalized) form. */
export interface Live<T> {
  object: T;
  observed: Observed;
}

export interface GuardedPatchInput<T> {
  /** `namespace/name`, for errors. */
  resource: string;
  operation: string;
  changes: readonly AttributeChange[];
  precondition: Precondition;
  maps: readonly string[];
  normalize: (attribute: string, value: JsonValue) => JsonValue;
  /** Read the live object (undefined: gone). */
  read: () => Promise<Live<T> | undefined>;
  /** Whether building the body needs the live object (e.g. to rebuild a list the patch would replace). */
  needsLive: boolean;
  /** The strategic-merge-patch body for the changes, without `metadata.resourceVersion`. */
  body: (live: T | undefined) => Record<string, unknown>;
  /** Send the patch. */
  send: (body: Record<string, unknown>) => Promise<T>;
}

// A 409 whose changed attributes did not move (a status update, an edit of another field) is retried
// with the new resourceVersion; this bounds how long a busy object can keep moving under us.
const MAX_ATTEMPTS = 4;

/**
 * Compare-and-set patch: the body carries the observed `metadata.resourceVersion`, so the API server
 * answers 409 Conflict if the object changed since. Then the object is re-read: if an attribute being
 * changed moved to a third value, that is a ConflictError (nothing is written); if only other fields
 * moved (a controller's status update, a console edit of another attribute), the same minimal patch is
 * re-sent with the new resourceVersion — it cannot overwrite anything the re-read did not just confirm.
 * Returns undefined when every changed attribute already holds its target value.
 */
export async function guardedPatch<T>(input: GuardedPatchInput<T>): Promise<T | undefined> {
  let version: string | undefined =
    input.precondition.kind === 'version' ? input.precondition.version : undefined;
  let live: T | undefined;
  if (input.needsLive || version === undefined) {
    const current = await mustRead(input);
    if (version !== undefined && current.observed.version !== version) {
      if (movedCheck(input, current.observed)) return undefined;
    } else if (input.precondition.kind === 'read-before-write') {
      if (expectedCheck(input, current.observed, input.precondition.expected)) return undefined;
    }
    live = current.object;
    version = current.observed.version;
  }
  for (let attempt = 1; ; attempt++) {
    const body = input.body(live);
    const metadata = (body.metadata ?? {}) as Record<string, unknown>;
    body.metadata = { ...metadata, resourceVersion: version };
    try {
      return await input.send(body);
    } catch (error) {
      if (!(k8sStatusCode(error) === 409 && k8sStatus(error)?.reason !== 'AlreadyExists'))
        throw toProviderError(error, input.operation, input.resource);
      const current = await mustRead(input);
      if (movedCheck(input, current.observed)) return undefined;
      if (attempt >= MAX_ATTEMPTS) {
        const first = input.changes[0];
        throw new ConflictError(input.resource, first?.attribute, first?.from, first?.from, {
          cause: error,
          reason: `the object kept changing: ${MAX_ATTEMPTS} writes refused with 409 Conflict`,
        });
      }
      live = current.object;
      version = current.observed.version;
    }
  }
}

async function mustRead<T>(input: GuardedPatchInput<T>): Promise<Live<T>> {
  const current = await input.read();
  if (!current)
    throw new ProviderError('k8s', input.operation, 'not-found', 'the object no longer exists', {
      resource: input.resource,
    });
  return current;
}

/**
 * Throw ConflictError if an attribute being changed is neither at its observed `from` nor at its target;
 * returns true when all of them already hold their targets (nothing left to write).
 */
function movedCheck<T>(input: GuardedPatchInput<T>, observed: Observed): boolean {
  let allAtTarget = true;
  for (const change of input.changes) {
    const actual = attributeAt(observed.attributes, change.attribute, input.maps);
    const to = normalized(input, change.attribute, change.to);
    if (same(actual, to)) continue;
    allAtTarget = false;
    if (!same(actual, normalized(input, change.attribute, change.from)))
      throw new ConflictError(input.resource, change.attribute, change.from, actual, {
        reason: 'the API server refused the write: its resourceVersion moved',
      });
  }
  return allAtTarget;
}

function expectedCheck<T>(
  input: GuardedPatchInput<T>,
  observed: Observed,
  expected: Record<string, JsonValue>,
): boolean {
  let allAtTarget = true;
  for (const change of input.changes) {
    const actual = attributeAt(observed.attributes, change.attribute, input.maps);
    if (same(actual, normalized(input, change.attribute, change.to))) continue;
    allAtTarget = false;
    if (!same(actual, expected[change.attribute]))
      throw new ConflictError(input.resource, change.attribute, expected[change.attribute], actual);
  }
  return allAtTarget;
}

function normalized<T>(
  input: GuardedPatchInput<T>,
  path: string,
  value: JsonValue | undefined,
): JsonValue | undefined {
  if (value === undefined) return undefined;
  // Map keys are normalized as part of their map: only plain attributes go through normalize.
  return input.maps.some((m) => path.startsWith(`${m}.`)) ? value : input.normalize(path, value);
}

const same = (a: JsonValue | undefined, b: JsonValue | undefined) => isDeepStrictEqual(a ?? null, b ?? null);
