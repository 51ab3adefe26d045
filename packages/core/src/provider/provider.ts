import type { ErrorClass } from '../errors/provider-error.js';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { Attributes, JsonValue } from '../resources/resource-spec.js';

/** Identifies one live resource to a provider. */
export interface ResourceRef {
  /** Logical id in the desired graph (`compute/api`). */
  id: string;
  type: string;
  /** Deterministic physical name. */
  name: string;
  /** Cloud id (ARN, full resource name…) once known; absent before the first create. */
  physicalId?: string;
  /** Environment the resource belongs to (ownership tags/labels carry it). */
  environment: string;
  /**
   * Values of the type's `ResourceType.identity` attributes: where the resource lives besides its name
   * (`{ cluster: 'shared' }` for an ECS service). The engine fills it on every call of a type that declares
   * `identity`: for a resource in state from its last-applied values (where it was made), else from the
   * desired spec's values (output refs resolved). An attribute whose value is not known yet (an output of
   * a resource created in the same plan, or a journal entry of an interrupted create) is absent, so a
   * provider keeps a fallback. Absent for types without `identity`.
   * @example { cluster: 'shared' }
   */
  identity?: Attributes;
}

/** What the engine tells `ResourceType.validate` besides the values. */
export interface ValidateContext {
  /**
   * Attributes the spec sets whose value is not known at plan time (an output of a resource created or
   * changed in the same plan): left out of `attributes`, and not missing. Issues whose path starts with
   * one of them are dropped by the engine.
   */
  knownAfterApply: readonly string[];
  /**
   * The plan may create the resource from these attributes (`policy.mode` is not `observe-only`), so
   * attributes required at creation must be there. `false` for observe-only specs, which never write.
   */
  mayCreate: boolean;
}

/** What a provider read from the cloud, normalized so it compares equal to what was written. */
export interface Observed {
  physicalId: string;
  /** Normalized attribute values. The engine only looks at the ones a spec owns. */
  attributes: Attributes;
  /** Native version token (etag, resourceVersion, settingsVersion) for compare-and-set. */
  version?: string;
  /** Values requested but not yet in effect (RDS pending modifications): "requested", not drift. */
  pending?: Attributes;
  /** Outputs other resources may reference (`arn`, `endpoint`, …). */
  outputs?: Record<string, JsonValue>;
  /** Set when another tool owns the resource (e.g. `cloudformation:my-stack`): it is never patched. */
  managedBy?: string;
}

/** Desired attributes for a create, with every output reference already resolved. */
export interface CreateInput {
  ref: ResourceRef;
  attributes: Attributes;
  /** Deterministic token for the API's idempotency parameter (ECS clientToken, EKS clientRequestToken). */
  idempotencyToken: string;
}

/**
 * One attribute to change: `from` is the value observed (and expected still there), `to` the desired one.
 * For a map attribute (`ResourceType.maps`) the change names one key, `tags.owner`; `to: undefined` removes
 * that key (or, for a plain attribute, unsets it). Other keys of the map are left as they are.
 */
export interface AttributeChange {
  attribute: string;
  from: JsonValue | undefined;
  to: JsonValue | undefined;
}

/** The compare-and-set guard that travels with a write. */
export type Precondition =
  /** The API rejects the write if the resource's version token moved. */
  | { kind: 'version'; version: string }
  /**
   * No token: the provider re-reads right before writing and throws ConflictError if any `expected` moved.
   * Keys are the changes' attribute paths (`desiredCount`, `tags.owner`); a path absent from `expected` was
   * absent when observed.
   */
  | { kind: 'read-before-write'; expected: Attributes };

/** What a create or patch returns; missing fields are filled by a fresh observe. */
export interface WriteResult {
  physicalId?: string;
  attributes?: Attributes;
  version?: string;
  outputs?: Record<string, JsonValue>;
}

/** Services the core lends a provider call: cancellation and progress reporting. */
export interface CallContext {
  signal: AbortSignal;
  /** Report progress of a long operation (shown in apply events). */
  progress(message: string): void;
}

/**
 * One resource type of a provider. The core owns lifecycle (ordering, concurrency, retries,
 * waiting, events); a type only translates between Patchbay attributes and one API.
 */
export interface ResourceType {
  /** Read the live resource by `ref.physicalId`, else by `ref.name`; `undefined` if it does not exist. */
  observe(ref: ResourceRef, ctx: CallContext): Promise<Observed | undefined>;
  /** Create it and wait until it is usable. */
  create(input: CreateInput, ctx: CallContext): Promise<WriteResult>;
  /** Change only `changes`, guarded by `precondition`. Throws ConflictError when the guard fails. */
  patch(
    ref: ResourceRef,
    changes: AttributeChange[],
    precondition: Precondition,
    ctx: CallContext,
  ): Promise<WriteResult>;
  /** Delete it and wait until it is gone. Without it, the type cannot be deleted by Patchbay. */
  delete?(ref: ResourceRef, ctx: CallContext): Promise<void>;

  /** Compare-and-set the API offers: a version token, or read-before-write. */
  precondition: 'version' | 'read-before-write';
  /** Attributes that cannot change in place: a change plans a `replace`. */
  immutable?: readonly string[];
  /** Holds data: deletion defaults to retain, replace and delete need explicit confirmation. */
  stateful?: boolean;
  /** The API allows one update at a time per resource (GKE, EKS, Cloud SQL). */
  serialUpdates?: boolean;
  /** Map-valued attributes (tags, labels) whose keys are owned one by one, so console-added keys survive. */
  maps?: readonly string[];
  /** Rate-limit bucket for this type's calls, e.g. `ecs`; defaults to the type name. */
  api?: string;
  /** Normalize a desired value the same way observe normalizes live ones (units, order, defaults). */
  normalize?(attribute: string, value: JsonValue): JsonValue;
  /** Classify an error thrown by this type's calls; defaults to the provider's, then to `fatal`. */
  classifyError?(error: unknown): ErrorClass;
  /**
   * Attributes that locate the resource together with its name, for a type whose identity includes a
   * parent (an ECS service lives in a cluster, an EKS node group in a cluster). The engine hands their
   * values to every call in `ResourceRef.identity`, so `observe` by name looks in the right parent even
   * when the parent is not named after the environment. Identity attributes must not be `sensitive`.
   * @default none: the name (and physical id) locate the resource
   * @example identity: ['cluster']
   */
  identity?: readonly string[];
  /**
   * Check desired attributes before any cloud call. `plan()` calls it for every desired spec, before it
   * observes anything, with normalized values and output refs resolved from state (attributes known only
   * after apply are left out: `context.knownAfterApply`). Return one issue per problem, its `path`
   * starting with the attribute (`['secrets', 'DB_PASSWORD']`); the engine prefixes the resource id and
   * throws one `ValidationError` listing every issue of every resource, so a bad attribute never fails
   * mid-apply after other resources were made. Checks that need the live resource (e.g. one version step
   * at a time) stay in `patch`. Never echo a secret in `received`.
   * @default no plan-time checks (the provider may still reject input in create/patch)
   * @example validate: (attributes) => (attributes.port === 0 ? [{ path: ['port'], message: 'must be 1..65535', received: 0 }] : [])
   */
  validate?(attributes: Attributes, ref: ResourceRef, context: ValidateContext): ValidationIssue[];
}

/** Concurrency and rate limits for one API, as the API documents them. */
export interface ApiLimit {
  /** Calls in flight at once. */
  concurrency?: number;
  /** Calls started per second. */
  ratePerSecond?: number;
}

/** A provider plugin: a factory's return value, `{ name, types }`. */
export interface Provider {
  /** Matches the prefix of its types (`aws` for `aws.ecs.service`). */
  name: string;
  /** Keyed by full type name (`aws.ecs.service`); the engine also accepts the unprefixed name (`ecs.service`). */
  types: Record<string, ResourceType>;
  /** Limits per `ResourceType.api` bucket, plus `default` for the provider as a whole. */
  limits?: Record<string, ApiLimit>;
  /** Classify errors from any of this provider's types. */
  classifyError?(error: unknown): ErrorClass;
}
