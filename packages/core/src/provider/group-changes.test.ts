import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { assertPatchable } from './assert-patchable.js';
import { differs } from './differs.js';
import { applyMapChange, effectiveMapChange, groupChanges } from './group-changes.js';

describe('groupChanges', () => {
  it('splits plain attributes from per-key map changes; undefined removes a key', () => {
    const grouped = groupChanges(
      [
        { attribute: 'desiredCount', from: 1, to: 2 },
        { attribute: 'tags.owner', from: undefined, to: 'alice' },
        { attribute: 'tags.old', from: 'x', to: undefined },
      ],
      ['tags'],
    );
    expect([...grouped.plain]).toEqual([['desiredCount', 2]]);
    expect(grouped.maps.get('tags')).toEqual({ set: { owner: 'alice' }, remove: ['old'] });
  });

  it('turns a whole-map change into the same per-key form', () => {
    const grouped = groupChanges(
      [{ attribute: 'labels', from: { a: '1', b: '2' }, to: { a: '1', c: '3' } }],
      ['labels'],
    );
    expect(grouped.maps.get('labels')).toEqual({ set: { c: '3' }, remove: ['b'] });
  });
});

describe('map changes against live values', () => {
  it('keeps only keys that really change and applies them', () => {
    const live = { a: '1', b: '2' };
    const change = { set: { a: '1', c: '3' }, remove: ['b', 'zz'] };
    expect(effectiveMapChange(live, change)).toEqual({ set: { c: '3' }, remove: ['b'] });
    expect(effectiveMapChange(live, { set: { a: '1' }, remove: ['zz'] })).toBeUndefined();
    expect(applyMapChange(live, change)).toEqual({ a: '1', c: '3' });
  });
});

describe('assertPatchable', () => {
  it('names every attribute that cannot change in place and what can', () => {
    const grouped = groupChanges(
      [
        { attribute: 'cluster', from: 'a', to: 'b' },
        { attribute: 'desiredCount', from: 1, to: 2 },
      ],
      ['tags'],
    );
    expect(() => assertPatchable('aws.ecs.service', grouped, ['desiredCount', 'tags'])).toThrow(
      ValidationError,
    );
    try {
      assertPatchable('aws.ecs.service', grouped, ['desiredCount', 'tags']);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ path: ['cluster'], allowed: ['desiredCount', 'tags'] }),
      ]);
    }
  });
});

describe('groupChanges details', () => {
  it('keeps the planned-from value of each plain attribute for compare-and-set', () => {
    const grouped = groupChanges([{ attribute: 'tier', from: 'small', to: 'large' }], ['labels']);
    expect(grouped.from.get('tier')).toBe('small');
    expect(grouped.plain.get('tier')).toBe('large');
  });

  it('treats a null key value as a removal and JSON-encodes non-string values', () => {
    const grouped = groupChanges(
      [
        { attribute: 'labels.gone', from: 'x', to: null },
        { attribute: 'labels.count', from: undefined, to: 3 },
        { attribute: 'tags', from: undefined, to: { on: true, skip: null } },
      ],
      ['labels', 'tags'],
    );
    expect(grouped.maps.get('labels')).toEqual({ set: { count: '3' }, remove: ['gone'] });
    expect(grouped.maps.get('tags')).toEqual({ set: { on: 'true' }, remove: [] });
    expect(grouped.plain.size).toBe(0);
  });

  it('refuses a map attribute that is not patchable too', () => {
    const grouped = groupChanges([{ attribute: 'labels.a', from: undefined, to: '1' }], ['labels']);
    expect(() => assertPatchable('acme.db', grouped, ['size'])).toThrow(ValidationError);
    expect(() => assertPatchable('acme.db', grouped, ['size', 'labels'])).not.toThrow();
  });
});

describe('differs', () => {
  it('compares deeply and treats undefined and null as the same unset', () => {
    expect(differs(undefined, null)).toBe(false);
    expect(differs({ a: [1, 2] }, { a: [1, 2] })).toBe(false);
    expect(differs({ a: [1, 2] }, { a: [2, 1] })).toBe(true);
    expect(differs('x', undefined)).toBe(true);
  });
});
