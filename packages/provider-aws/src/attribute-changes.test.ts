import { ValidationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { applyMapChange, assertPatchable, effectiveMapChange, groupChanges } from './attribute-changes.js';

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
