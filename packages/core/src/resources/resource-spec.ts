/** Plain JSON data: what attributes, outputs and state hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A reference to another resource's output, resolved by the engine once that resource exists
 * (e.g. an ECS service's `taskDefinition` is the task definition's `arn` output).
 */
export interface OutputRef {
  $ref: { resource: string; output: string };
}

/**
 * A desired attribute value: plain JSON, a reference to another resource's output, or JSON containing
 * references at any depth (e.g. an environment-variable map with one value taken from a database's endpoint).
 */
export type DesiredValue = JsonValue | OutputRef | { [key: string]: DesiredValue } | DesiredValue[];

/** Attribute name → value. Only the attributes a spec sets are owned by Patchbay. */
export type Attributes = Record<string, JsonValue>;
export type DesiredAttributes = Record<string, DesiredValue>;

/** How Patchbay treats a resource. */
export interface ResourcePolicy {
  /**
   * `manage`: create, patch and (per `deletion`) delete it. `observe-only`: read it, never write.
   * `adopt`: take over an existing resource found by name, then manage it.
   * @default 'manage'
   */
  mode?: 'manage' | 'observe-only' | 'adopt';
  /**
   * What happens when the resource leaves the desired graph. Stateful resources default to `retain`.
   * @default 'delete' (stateless), 'retain' (stateful)
   */
  deletion?: 'delete' | 'retain';
  /** Attributes set at creation only: later changes to them are ignored, not patched. */
  createOnly?: string[];
  /** Attributes never diffed nor written after creation. */
  ignore?: string[];
}

/** One desired resource in the graph that `desiredResources()` derives. */
export interface ResourceSpec {
  /** Stable logical id, e.g. `compute/api`, `db/main`. Keys the state store. */
  id: string;
  /** Provider-qualified type, e.g. `aws.ecs.service`. The prefix before the first dot names the provider. */
  type: string;
  /** Deterministic physical name: how a crashed earlier create is found again. */
  name: string;
  /** The owned, desired attributes. */
  attributes: DesiredAttributes;
  /** Logical ids this resource needs to exist first (output refs add theirs implicitly). */
  dependsOn?: string[];
  policy?: ResourcePolicy;
  /** Attributes whose values are secrets: rendered as `(sensitive)`, stored as a hash. */
  sensitive?: string[];
}

export function isOutputRef(value: unknown): value is OutputRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    '$ref' in value &&
    typeof (value as OutputRef).$ref?.resource === 'string' &&
    typeof (value as OutputRef).$ref?.output === 'string'
  );
}

/** `{ $ref: … }` for `resource`'s `output`. */
export function outputRef(resource: string, output: string): OutputRef {
  return { $ref: { resource, output } };
}
