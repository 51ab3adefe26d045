import { isDeepStrictEqual } from 'node:util';
import { type ResourceSpec, ValidationError, type ValidationIssue } from '@patchbay/core';
import { withinAttribute } from './attribute-path.js';
import type {
  ProviderCapabilities,
  ResourceFixture,
  TestProviderOptions,
  ThrottlingCapability,
} from './test-provider-options.js';

/** A fixture with its capabilities resolved (suite-wide, then the fixture's own). */
export interface ResolvedFixture {
  fixture: ResourceFixture;
  label: string;
  /** The spec's type, as sample-built at registration. */
  type: string;
  id: string;
  capabilities: {
    delete: boolean;
    immutable: boolean;
    adopt: boolean;
    throttling: (Required<Omit<ThrottlingCapability, 'operations'>> & { operations?: string[] }) | undefined;
  };
}

/** The name used to sample-build specs while validating. */
export const SAMPLE_NAME = 'pbsample1';

/**
 * Checks the options when `testProvider` is called (before any test runs), so a mistake in a fixture is
 * one clear ValidationError naming the path and what is allowed, not a confusing failing check.
 */
export function validateOptions(options: TestProviderOptions): ResolvedFixture[] {
  const issues: ValidationIssue[] = [];
  const need = (
    ok: boolean,
    path: (string | number)[],
    message: string,
    allowed: string,
    received?: unknown,
  ) => {
    if (!ok) issues.push({ path, message, allowed, ...(received !== undefined ? { received } : {}) });
    return ok;
  };
  need(
    typeof options?.sandbox === 'function',
    ['sandbox'],
    'must be a function',
    '() => startSandbox({...})',
  );
  need(
    typeof options?.provider === 'function',
    ['provider'],
    'must be a function',
    '(sandbox) => myProvider({...})',
  );
  const fixtures = Array.isArray(options?.fixtures) ? options.fixtures : [];
  need(
    fixtures.length > 0,
    ['fixtures'],
    'must list at least one resource fixture',
    '[{ spec, patch, conflict, outOfBand, counters }]',
  );
  const resolved: ResolvedFixture[] = [];
  const labels = new Set<string>();
  fixtures.forEach((fixture, i) => {
    const at = (...path: (string | number)[]) => ['fixtures', i, ...path];
    if (
      !need(typeof fixture?.spec === 'function', at('spec'), 'must be a function', '(name) => ResourceSpec')
    )
      return;
    let spec: ResourceSpec;
    try {
      spec = fixture.spec(SAMPLE_NAME);
    } catch (error) {
      need(
        false,
        at('spec'),
        `threw: ${error instanceof Error ? error.message : String(error)}`,
        'a ResourceSpec',
      );
      return;
    }
    if (
      !need(
        typeof spec?.type === 'string' && typeof spec.id === 'string' && typeof spec.attributes === 'object',
        at('spec'),
        'must return a ResourceSpec',
        '{ id, type, name, attributes }',
      )
    )
      return;
    need(
      spec.name === SAMPLE_NAME,
      at('spec', 'name'),
      'must be the name passed in',
      'spec(name).name === name',
      spec.name,
    );
    const ownAttrs = spec.attributes ?? {};
    const patch = fixture.patch;
    if (
      need(
        typeof patch?.attribute === 'string',
        at('patch', 'attribute'),
        'is required',
        'an attribute the spec owns',
      )
    ) {
      need(
        patch.attribute in ownAttrs,
        at('patch', 'attribute'),
        'must be an attribute the spec sets',
        Object.keys(ownAttrs).join(', '),
        patch.attribute,
      );
      need(
        patch.value !== undefined && !isDeepStrictEqual(patch.value, ownAttrs[patch.attribute]),
        at('patch', 'value'),
        "must differ from the spec's value",
        'a new value',
        patch.value,
      );
    }
    need(
      typeof fixture.conflict?.edit === 'function',
      at('conflict', 'edit'),
      'must be a function',
      '(sandbox, observed) => console edit of patch.attribute',
    );
    const oob = fixture.outOfBand;
    if (
      need(
        typeof oob?.attribute === 'string' && typeof oob.edit === 'function',
        at('outOfBand'),
        'needs attribute and edit',
        '{ attribute, edit(sandbox, observed) }',
      )
    ) {
      if (typeof patch?.attribute === 'string') {
        // A key of the patched map the patch leaves alone counts as another attribute: a person tagging a
        // resource in the console while Patchbay changes another tag is the everyday case.
        const changed = changedKeys(ownAttrs[patch.attribute], patch.value);
        const key = oob.attribute.startsWith(`${patch.attribute}.`)
          ? oob.attribute.slice(patch.attribute.length + 1)
          : undefined;
        const otherKey = key !== undefined && changed !== undefined && key !== '' && !changed.includes(key);
        need(
          otherKey ||
            (!withinAttribute(oob.attribute, patch.attribute) &&
              !withinAttribute(patch.attribute, oob.attribute)),
          at('outOfBand', 'attribute'),
          changed
            ? `must be another attribute than patch.attribute, or a key of ${patch.attribute} the patch does not change`
            : 'must be another attribute than patch.attribute',
          changed
            ? `not ${patch.attribute}, nor ${changed.map((k) => `${patch.attribute}.${k}`).join(', ')}`
            : `not ${patch.attribute}`,
          oob.attribute,
        );
      }
    }
    const counters = fixture.counters;
    need(
      typeof counters?.api === 'string' && counters.api.length > 0,
      at('counters', 'api'),
      'is required',
      'the sandbox API name, e.g. ecs',
    );
    need(
      Array.isArray(counters?.writeOperations) && counters.writeOperations.length > 0,
      at('counters', 'writeOperations'),
      'must list the write operations',
      "e.g. ['UpdateService', 'TagResource']",
    );

    const caps: ProviderCapabilities = { ...options.capabilities, ...fixture.capabilities };
    const immutable = caps.immutable === true;
    if (immutable) {
      const imm = fixture.immutable;
      if (
        need(
          typeof imm?.attribute === 'string',
          at('immutable'),
          'is required with the immutable capability',
          '{ attribute, value }',
        )
      ) {
        need(
          imm!.attribute in ownAttrs,
          at('immutable', 'attribute'),
          'must be an attribute the spec sets',
          Object.keys(ownAttrs).join(', '),
          imm!.attribute,
        );
        need(
          !isDeepStrictEqual(imm!.value, ownAttrs[imm!.attribute]),
          at('immutable', 'value'),
          "must differ from the spec's value",
          'a new value',
          imm!.value,
        );
      }
    }
    let throttling: ResolvedFixture['capabilities']['throttling'];
    if (caps.throttling) {
      const t = caps.throttling === true ? {} : caps.throttling;
      const rate = t.rate ?? 0.3;
      need(
        rate > 0 && rate < 1,
        at('capabilities', 'throttling', 'rate'),
        'must be between 0 and 1',
        '0 < rate < 1, e.g. 0.3',
        rate,
      );
      throttling = {
        api: t.api ?? counters?.api ?? '',
        rate,
        ...(t.operations ? { operations: t.operations } : {}),
      };
    }
    const label = fixture.label ?? spec.type;
    need(!labels.has(label), at('label'), 'must be unique', 'a label per fixture', label);
    labels.add(label);
    resolved.push({
      fixture,
      label,
      type: spec.type,
      id: spec.id,
      capabilities: { delete: caps.delete === true, immutable, adopt: caps.adopt === true, throttling },
    });
  });
  if (issues.length) throw new ValidationError('testProvider options', issues);
  return resolved;
}

/**
 * The keys a patch of a map attribute changes (added, removed or set to another value), or undefined when
 * the spec's value or the patch value is not a plain object (then no key can be told apart).
 */
function changedKeys(from: unknown, to: unknown): string[] | undefined {
  if (!isPlainObject(from) || !isPlainObject(to)) return undefined;
  const keys = new Set([...Object.keys(from), ...Object.keys(to)]);
  return [...keys].filter((k) => !isDeepStrictEqual(from[k], to[k]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
