import type { JsonValue, Observed, Provider, ResourceSpec, RetryOptions } from '@patchbay/core';
import type { Sandbox } from '@patchbay/sandbox';

/** Which optional checks apply. A check is skipped only when its capability is not declared. */
export interface ProviderCapabilities {
  /**
   * The type implements `delete`: a resource removed from the desired graph is deleted.
   * Must be declared exactly when the type has `delete` (checked), so the check cannot be skipped by omission.
   * @default false
   */
  delete?: boolean;
  /**
   * The type declares `immutable` attributes: changing `fixture.immutable.attribute` plans a `replace`.
   * Must be declared exactly when the type's `immutable` list is not empty, and then needs `fixture.immutable`.
   * @default false
   */
  immutable?: boolean;
  /**
   * An existing resource is found by its deterministic name and taken over with `policy.mode: 'adopt'`.
   * @default false
   */
  adopt?: boolean;
  /**
   * Converges while a share of the API's calls are answered with its throttling error. `true` throttles
   * every operation of the fixture's `counters.api`.
   * @default false
   * @example { throttling: { rate: 0.3 } }
   */
  throttling?: boolean | ThrottlingCapability;
}

/** How the throttling storm is injected through `sandbox.faults`. */
export interface ThrottlingCapability {
  /** Sandbox API to throttle. @default the fixture's `counters.api` */
  api?: string;
  /** Operations to throttle. @default every operation of the API */
  operations?: string[];
  /** Share of calls answered with the API's throttling error. @default 0.3 */
  rate?: number;
}

/** One attribute value to set, and how a person sets attributes in the sandbox console. */
export interface FixturePatch {
  /** A top-level attribute the spec owns (for a map attribute, give the whole new map). */
  attribute: string;
  /** Its new desired value; must differ from the spec's. */
  value: JsonValue;
}

/** A console edit of an attribute, as a person would make it. */
export interface ConsoleEdit {
  /**
   * Makes the edit through `sandbox.console` (or the API itself). `observed` is the resource as the
   * provider observed it just before, so the edit can find its record id (`observed.physicalId`).
   */
  edit(sandbox: Sandbox, observed: Observed): void | Promise<void>;
}

/** An out-of-band edit of an attribute other than `patch.attribute`. */
export interface OutOfBandEdit extends ConsoleEdit {
  /**
   * The attribute (or map key path, `tags.note`) the edit changes, as `observe` reports it. It may be owned
   * by the spec (the engine then reports drift kept) or not (a console-only tag). A key of the patched map
   * attribute counts as another attribute when the patch leaves that key alone: patch `tags` `{ team }`,
   * console adds `tags.owner` (a type owning only `tags` has no other kind of out-of-band edit).
   * @example { attribute: 'tags.owner', edit: (sandbox, o) => sandbox.console.tag('ecs', 'cluster', name, 'owner', 'ops') }
   */
  attribute: string;
}

/** Per resource type: how to make one, change it and edit it in the console. */
export interface ResourceFixture {
  /** Shown in test names. @default the spec's type */
  label?: string;
  /**
   * The desired resource under test, named `name` (unique per test: lowercase letters and digits,
   * starting with a letter, at most 16 characters). Its id must not change with `name`.
   * @example spec: (name) => ({ id: 'flag/checkout', type: 'flags.flag', name, attributes: { enabled: false } })
   */
  spec(name: string): ResourceSpec;
  /**
   * Resources it needs, created in the same plan (it may refer to their outputs with `outputRef`).
   * They are named from the same `name`, so each test gets its own.
   * @default none
   */
  dependencies?(name: string): ResourceSpec[];
  /** The one attribute the patch checks change. */
  patch: FixturePatch;
  /**
   * A console edit of `patch.attribute` to a third value (neither the spec's nor `patch.value`): the
   * stale-precondition check makes it between plan and apply.
   */
  conflict: ConsoleEdit;
  /** A console edit of another attribute (or another key of a map attribute), which a later patch must keep. */
  outOfBand: OutOfBandEdit;
  /** An attribute the type declares immutable, and a new value for it. Needed with the `immutable` capability. */
  immutable?: { attribute: string; value: JsonValue };
  /** Where the type's calls land in the sandbox, so writes can be counted on the wire. */
  counters: {
    /** Sandbox API name (`ecs`, `flags`, …). */
    api: string;
    /** Operations that write (`UpdateService`, `TagResource`, …); a one-attribute patch makes exactly one. */
    writeOperations: string[];
  };
  /** Overrides the suite's capabilities for this type. */
  capabilities?: ProviderCapabilities;
}

/** Options of {@link testProvider}. */
export interface TestProviderOptions {
  /**
   * Suite name (the top-level `describe`). @default `provider <name>`
   */
  name?: string;
  /**
   * Starts the sandbox the suite runs against; called once in `beforeAll`, closed in `afterAll`.
   * @example sandbox: () => startSandbox({ apis: [flagsApi], operationDelayMs: 5 })
   */
  sandbox: () => Promise<Sandbox>;
  /**
   * Builds the provider against the running sandbox (its endpoints come from `sandbox`).
   * @example provider: (sandbox) => flags({ endpoint: sandbox.url, project: 'demo' })
   */
  provider: (sandbox: Sandbox) => Provider | Promise<Provider>;
  /** One fixture per resource type under test. */
  fixtures: ResourceFixture[];
  /** Optional behaviours the provider supports (per fixture, `fixture.capabilities` overrides). @default {} */
  capabilities?: ProviderCapabilities;
  /**
   * Engine retry used by the suite; small delays keep the throttling storm fast.
   * @default { attempts: 10, baseDelayMs: 5, maxDelayMs: 100 }
   */
  retry?: RetryOptions;
}
