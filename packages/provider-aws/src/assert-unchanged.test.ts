import { ConflictError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { assertUnchanged } from './assert-unchanged.js';

const live = { desiredCount: 2, cpu: 256, subnets: ['a', 'b'], tags: { team: 'core', added: 'console' } };
const sortNormalize = (attribute: string, value: unknown) =>
  (attribute === 'subnets' && Array.isArray(value) ? [...value].sort() : value) as never;

describe('assertUnchanged', () => {
  it('passes when every expected value is still live (after normalization)', () => {
    expect(() =>
      assertUnchanged(
        'r',
        live,
        { kind: 'read-before-write', expected: { desiredCount: 2, subnets: ['b', 'a'] } },
        [],
        sortNormalize,
        ['tags'],
      ),
    ).not.toThrow();
  });

  it('throws ConflictError naming the attribute that moved', () => {
    const attempt = () =>
      assertUnchanged('compute/api', live, { kind: 'read-before-write', expected: { desiredCount: 1 } }, []);
    expect(attempt).toThrow(ConflictError);
    expect(attempt).toThrow(
      expect.objectContaining({ resource: 'compute/api', attribute: 'desiredCount', expected: 1, actual: 2 }),
    );
  });

  it('compares map keys one by one; console-added keys are no conflict', () => {
    const check = (expected: Record<string, never | string | null | Record<string, string>>) =>
      assertUnchanged('r', live, { kind: 'read-before-write', expected: expected as never }, [], undefined, [
        'tags',
      ]);
    expect(() => check({ 'tags.team': 'core' })).not.toThrow();
    expect(() => check({ tags: { team: 'core' } })).not.toThrow();
    expect(() => check({ 'tags.owner': null })).not.toThrow();
    expect(() => check({ 'tags.team': 'data' })).toThrow(ConflictError);
    expect(() => check({ 'tags.added': null })).toThrow(ConflictError);
  });

  it('treats a changed path absent from `expected` as "was absent": appearing since is a conflict', () => {
    const change = (attribute: string) => [{ attribute, from: undefined, to: 'x' }];
    const pre = { kind: 'read-before-write' as const, expected: {} };
    expect(() => assertUnchanged('r', live, pre, change('tags.owner'), undefined, ['tags'])).not.toThrow();
    expect(() => assertUnchanged('r', live, pre, change('tags.added'), undefined, ['tags'])).toThrow(
      expect.objectContaining({ attribute: 'tags.added', actual: 'console' }),
    );
    expect(() => assertUnchanged('r', live, pre, change('image'))).not.toThrow();
    expect(() => assertUnchanged('r', live, pre, change('cpu'))).toThrow(ConflictError);
  });

  it('a changed attribute already at its target is no conflict (a retried write), a third value is', () => {
    const pre = { kind: 'read-before-write' as const, expected: { desiredCount: 1, 'tags.team': 'data' } };
    const retried = [
      { attribute: 'desiredCount', from: 1, to: 2 },
      { attribute: 'tags.team', from: 'data', to: 'core' },
    ];
    expect(() => assertUnchanged('r', live, pre, retried, undefined, ['tags'])).not.toThrow();
    expect(() =>
      assertUnchanged('r', live, pre, [{ attribute: 'desiredCount', from: 1, to: 3 }], undefined, ['tags']),
    ).toThrow(expect.objectContaining({ attribute: 'desiredCount', expected: 1, actual: 2 }));
    // Unchanged attributes in `expected` are still compared strictly.
    expect(() =>
      assertUnchanged('r', live, { kind: 'read-before-write', expected: { cpu: 512 } }, retried, undefined, [
        'tags',
      ]),
    ).toThrow(expect.objectContaining({ attribute: 'cpu' }));
  });

  it('ignores version preconditions (not this API)', () => {
    expect(() => assertUnchanged('r', live, { kind: 'version', version: '1' }, [])).not.toThrow();
  });
});
