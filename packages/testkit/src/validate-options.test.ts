import { ValidationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { ResourceFixture, TestProviderOptions } from './test-provider-options.js';
import { validateOptions } from './validate-options.js';

const fixture: ResourceFixture = {
  spec: (name) => ({ id: 'flag/a', type: 'flags.flag', name, attributes: { rollout: 10, description: 'x' } }),
  patch: { attribute: 'rollout', value: 20 },
  conflict: { edit: () => {} },
  outOfBand: { attribute: 'description', edit: () => {} },
  counters: { api: 'flags', writeOperations: ['UpdateFlag'] },
};

const options = (overrides: Partial<TestProviderOptions> = {}): TestProviderOptions => ({
  sandbox: async () => {
    throw new Error('not started in this test');
  },
  provider: () => ({ name: 'flags', types: {} }),
  fixtures: [fixture],
  ...overrides,
});

function issues(o: TestProviderOptions): string[] {
  try {
    validateOptions(o);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
  return [];
}

describe('validateOptions', () => {
  it('resolves capabilities per fixture, the fixture overriding the suite', () => {
    const [resolved] = validateOptions(
      options({
        capabilities: { delete: true, throttling: true },
        fixtures: [{ ...fixture, capabilities: { delete: false } }],
      }),
    );
    expect(resolved!.capabilities).toEqual({
      delete: false,
      immutable: false,
      adopt: false,
      throttling: { api: 'flags', rate: 0.3 },
    });
    expect(resolved!.label).toBe('flags.flag');
  });

  it('rejects a patch value equal to the spec value, or an attribute the spec does not set', () => {
    expect(
      issues(options({ fixtures: [{ ...fixture, patch: { attribute: 'rollout', value: 10 } }] })),
    ).toEqual(["fixtures.0.patch.value: must differ from the spec's value"]);
    expect(issues(options({ fixtures: [{ ...fixture, patch: { attribute: 'colour', value: 1 } }] }))).toEqual(
      ['fixtures.0.patch.attribute: must be an attribute the spec sets'],
    );
  });

  it('rejects an out-of-band edit of the patched attribute itself', () => {
    const bad = { ...fixture, outOfBand: { attribute: 'rollout', edit: () => {} } };
    expect(issues(options({ fixtures: [bad] }))).toEqual([
      'fixtures.0.outOfBand.attribute: must be another attribute than patch.attribute',
    ]);
  });

  it('accepts an out-of-band edit of another key of the patched map, not of a key the patch changes', () => {
    const tagged: ResourceFixture = {
      ...fixture,
      spec: (name) => ({
        id: 'c',
        type: 'aws.ecs.cluster',
        name,
        attributes: { tags: { team: 'web', env: 'x' } },
      }),
      patch: { attribute: 'tags', value: { team: 'platform', env: 'x' } },
      outOfBand: { attribute: 'tags.owner', edit: () => {} },
    };
    expect(issues(options({ fixtures: [tagged] }))).toEqual([]);
    // An owned key the patch leaves alone is another attribute too (the engine reports it as drift kept).
    expect(
      issues(options({ fixtures: [{ ...tagged, outOfBand: { attribute: 'tags.env', edit: () => {} } }] })),
    ).toEqual([]);
    for (const attribute of ['tags.team', 'tags', 'tags.']) {
      expect(
        issues(options({ fixtures: [{ ...tagged, outOfBand: { attribute, edit: () => {} } }] })),
      ).toEqual([
        'fixtures.0.outOfBand.attribute: must be another attribute than patch.attribute, or a key of tags the patch does not change',
      ]);
    }
    // A key removed by the patch is changed by it.
    const removing = { ...tagged, patch: { attribute: 'tags', value: { team: 'web' } } };
    expect(
      issues(options({ fixtures: [{ ...removing, outOfBand: { attribute: 'tags.env', edit: () => {} } }] })),
    ).toHaveLength(1);
    // A non-object attribute has no keys.
    expect(
      issues(options({ fixtures: [{ ...fixture, outOfBand: { attribute: 'rollout.x', edit: () => {} } }] })),
    ).toEqual(['fixtures.0.outOfBand.attribute: must be another attribute than patch.attribute']);
  });

  it('needs immutable data with the immutable capability, and a throttle rate below 1', () => {
    expect(issues(options({ capabilities: { immutable: true, throttling: { rate: 1 } } }))).toEqual([
      'fixtures.0.immutable: is required with the immutable capability',
      'fixtures.0.capabilities.throttling.rate: must be between 0 and 1',
    ]);
  });

  it('rejects missing functions, empty fixtures and missing counters', () => {
    const bad = { ...fixture, counters: { api: '', writeOperations: [] } };
    expect(issues({ ...options({ fixtures: [bad] }), provider: undefined as never })).toEqual([
      'provider: must be a function',
      'fixtures.0.counters.api: is required',
      'fixtures.0.counters.writeOperations: must list the write operations',
    ]);
    expect(issues(options({ fixtures: [] }))).toEqual(['fixtures: must list at least one resource fixture']);
  });
});
